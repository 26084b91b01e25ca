# Existing table: a model renamed with its table.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_rename_table/migrations/0002_auto_20190414_1500.py (error).
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_rename_table_app/migrations/0002_rename_table.py (unsafe).
# Source: ankane/strong_migrations README.md, Renaming a table (unsafe).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 5 (unsafe).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM014 (warning).
# Verdict: unsafe: the running code still queries the old table.
from django.db import migrations

VERDICT = "unsafe"
PEERS = (
    "django-migration-linter",
    "sentry",
    "strong_migrations",
    "django-pg-zero-downtime-migrations",
    "django-safe-migrations",
)
EXPECTED = {"rename-table": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RenameModel("Tag", "Label"),
    ]
