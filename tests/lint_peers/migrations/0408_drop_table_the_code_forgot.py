# Existing table: a table dropped after an earlier deploy removed its model.
# Source: getsentry/sentry fixtures/safe_migrations_apps/good_flow_delete_model_state_app/migrations/0003_delete_table.py (safe).
# Verdict: safe: no model in the migration's state has the table (squawk's ban-drop-table is
#   overruled).
from django.db import migrations

VERDICT = "safe"
PEERS = ("sentry",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'DROP TABLE "lint_peers_retired"',
            reverse_sql='CREATE TABLE "lint_peers_retired" ("id" bigint PRIMARY KEY)',
        ),
    ]
