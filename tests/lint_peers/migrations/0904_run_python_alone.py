# Existing table: a data migration alone.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_mixed_runpython_operations/migrations/0003_runpython_only.py (valid).
# Verdict: safe: no schema lock is held.
from django.db import migrations


def fill_nicknames(apps, schema_editor):
    Account = apps.get_model("lint_peers", "Account")
    Account.objects.filter(nickname=None).update(nickname="")


VERDICT = "safe"
PEERS = ("django-migration-linter",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunPython(fill_nicknames, reverse_code=migrations.RunPython.noop),
    ]
