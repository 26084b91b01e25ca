# Existing table: a model deleted with its table.
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_delete_model_app/migrations/0002_delete_model.py (unsafe).
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_drop_table/migrations/0002_delete_a.py (error).
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, testapp 0010_delete_model (SM003 warning).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 4 (safe).
# Verdict: unsafe: the running code still queries the table.
# Peers disagree: as for columns: the old code runs while migrate drops the table.
from django.db import migrations

VERDICT = "unsafe"
PEERS = (
    "sentry",
    "django-migration-linter",
    "django-safe-migrations",
    "django-pg-zero-downtime-migrations",
)
EXPECTED = {"drop-table": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.DeleteModel("Tag"),
    ]
