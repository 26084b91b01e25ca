# Existing table: a column added and backfilled in one transaction.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_mixed_runpython_operations/migrations/0002_mixed_operations.py (error).
# Source: ankane/strong_migrations README.md, Backfilling data (unsafe).
# Verdict: unsafe: the ACCESS EXCLUSIVE lock of the ADD COLUMN is held for the whole
#   backfill, and the NOT NULL column has no database default.
from django.db import migrations, models


def fill_slugs(apps, schema_editor):
    Account = apps.get_model("lint_peers", "Account")
    for account in Account.objects.all():
        account.slug = account.name.lower()
        account.save(update_fields=["slug"])


VERDICT = "unsafe"
PEERS = ("django-migration-linter", "strong_migrations")
EXPECTED = {
    "not-null-column-without-default": "blocking",
    "backfill-in-schema-migration": "blocking",
}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField(
            "account", "slug", models.TextField(default=""), preserve_default=False
        ),
        migrations.RunPython(fill_slugs, reverse_code=migrations.RunPython.noop),
    ]
