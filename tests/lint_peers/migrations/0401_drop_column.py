# Existing table: a column dropped with its field.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_drop_column/migrations/0002_remove_a_field_b.py (error).
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_remove_field_app/migrations/0002_remove_field.py (unsafe).
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, testapp 0005_drop_column (SM002 warning).
# Source: ankane/strong_migrations README.md, Removing a column (unsafe).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 17 (safe).
# Verdict: unsafe: Django names every column in its SELECTs: the running code fails until it
#   is replaced.
# Peers disagree: tbicr assumes the code stopped using the column first; a RemoveField
#   written by makemigrations ships with the code that stops, so the old code still runs
#   during migrate.
from django.db import migrations

VERDICT = "unsafe"
PEERS = (
    "django-migration-linter",
    "sentry",
    "django-safe-migrations",
    "strong_migrations",
    "django-pg-zero-downtime-migrations",
)
EXPECTED = {"drop-column": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RemoveField("account", "nickname"),
    ]
