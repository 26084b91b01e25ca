# Existing table: a column renamed.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_rename_column/migrations/0002_auto_20190414_1502.py (error).
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_rename_field_app/migrations/0002_rename_field.py (unsafe).
# Source: ankane/strong_migrations README.md, Renaming a column (unsafe).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 18 (unsafe).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM006 (info).
# Verdict: unsafe: the running code still selects the old name.
from django.db import migrations

VERDICT = "unsafe"
PEERS = (
    "django-migration-linter",
    "sentry",
    "strong_migrations",
    "django-pg-zero-downtime-migrations",
    "django-safe-migrations",
)
EXPECTED = {"rename-column": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RenameField("account", "nickname", "handle"),
    ]
