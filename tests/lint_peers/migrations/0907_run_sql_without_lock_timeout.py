# Existing table: RunSQL DDL that sets no lock_timeout.
# Source: YasserShkeir/django-safe-migrations tests/test_project/testapp/migrations/0025_run_sql_no_lock_timeout.py (SM035 info).
# Verdict: safe: migrate and migrate_deploy set lock_timeout on the session before each
#   migration.
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-safe-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'ALTER TABLE "lint_peers_account" ADD COLUMN "extra" integer NULL',
            reverse_sql='ALTER TABLE "lint_peers_account" DROP COLUMN "extra"',
        ),
    ]
