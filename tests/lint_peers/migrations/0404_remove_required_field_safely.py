# Existing table: a NOT NULL column made nullable, then its field removed from the state.
# Source: getsentry/sentry fixtures/safe_migrations_apps/good_flow_delete_field_pending_with_not_null_app/migrations/0002_remove_not_null_and_pending.py (safe).
# Verdict: safe: once nullable, the new code's INSERTs store NULL.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("sentry",)
EXPECTED = {"ban-drop-not-null": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "legacy", models.TextField(null=True)),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField("account", "legacy")],
        ),
    ]
