# Existing table: a data migration that loops over every row.
# Source: YasserShkeir/django-safe-migrations tests/test_project/testapp/migrations/0020_run_python_no_batching.py (SM026 warning).
# Verdict: safe: alone in its migration it holds no schema lock; how Python batches its work
#   is beyond a static lint (docs/backfills.md).
from django.db import migrations


def upper_names(apps, schema_editor):
    Account = apps.get_model("lint_peers", "Account")
    for account in Account.objects.all():
        account.name = account.name.upper()
        account.save(update_fields=["name"])


VERDICT = "safe"
PEERS = ("django-safe-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunPython(upper_names, reverse_code=migrations.RunPython.noop),
    ]
