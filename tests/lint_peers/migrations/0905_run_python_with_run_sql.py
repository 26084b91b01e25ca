# Existing table: RunPython and a data-only RunSQL together.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_mixed_runpython_operations/migrations/0004_runpython_with_runsql.py (valid).
# Verdict: safe: both only change data: no schema lock is held.
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
        migrations.RunSQL(
            'UPDATE "lint_peers_account" SET "name" = upper("name")',
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
