# Existing table: a column dropped after an earlier deploy removed its field.
# Source: getsentry/sentry fixtures/safe_migrations_apps/good_flow_delete_field_simple_app/migrations/0003_delete.py (safe).
# Source: ankane/strong_migrations README.md, Removing a column (then drop it) (safe).
# Verdict: safe: no model in the migration's state has the column, so no running code reads
#   it (squawk's ban-drop-column is overruled).
from django.db import migrations

VERDICT = "safe"
PEERS = ("sentry", "strong_migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'ALTER TABLE "lint_peers_account" DROP COLUMN "retired"',
            reverse_sql='ALTER TABLE "lint_peers_account" ADD COLUMN "retired" text NULL',
        ),
    ]
