# Existing table: a model removed from the state only.
# Source: getsentry/sentry fixtures/safe_migrations_apps/good_flow_delete_model_state_app/migrations/0002_delete_model_state.py (safe).
# Verdict: safe: no SQL; the table stays for the old code.
from django.db import migrations

VERDICT = "safe"
PEERS = ("sentry",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("Tag")]),
    ]
