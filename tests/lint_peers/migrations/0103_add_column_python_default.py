# Existing table: a NOT NULL column with a Python default.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/bad_flow_add_column_with_default_app/migrations/0002_add_field_default.py (unsafe).
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_add_column_with_default_app/migrations/0002_add_field_default.py (unsafe: needs additional steps).
# Source: YasserShkeir/django-safe-migrations tests/test_project/testapp/migrations/0024_field_with_default.py (SM033 warning: rewrite).
# Source: ankane/strong_migrations README.md, Adding a column with a default value (safe on Postgres 11+).
# Verdict: unsafe: no rewrite (PostgreSQL >= 11 stores the constant once), but Django drops
#   the database default at once, so the running code's INSERTs fail on NOT NULL.
# Peers disagree: strong_migrations judges the lock (no rewrite: right), django-safe-
#   migrations claims a rewrite (wrong since 11); the breakage of the running code decides.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = (
    "django-pg-zero-downtime-migrations",
    "sentry",
    "django-safe-migrations",
    "strong_migrations",
)
EXPECTED = {"not-null-column-without-default": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "visits", models.IntegerField(default=0)),
    ]
