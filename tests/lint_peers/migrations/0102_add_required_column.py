# Existing table: a NOT NULL column whose default is only a one-off.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_add_not_null_column/migrations/0002_add_new_not_null_field.py (error NOT_NULL).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/bad_flow_add_column_with_notnull_app/migrations/0002_add_field_notnull.py (unsafe).
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_add_column_with_notnull_app/migrations/0002_add_field_notnull.py (unsafe).
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, testapp 0002_unsafe_not_null (SM001 error).
# Verdict: unsafe: Django drops the default after filling the rows, so the running code's
#   INSERTs, which do not name the column, fail.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = (
    "django-migration-linter",
    "django-pg-zero-downtime-migrations",
    "sentry",
    "django-safe-migrations",
)
EXPECTED = {"not-null-column-without-default": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField(
            "account", "age", models.IntegerField(default=18), preserve_default=False
        ),
    ]
