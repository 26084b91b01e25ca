# Existing table: a field removed from the state only.
# Source: getsentry/sentry fixtures/safe_migrations_apps/good_flow_delete_field_simple_app/migrations/0002_set_pending.py (safe).
# Source: ankane/strong_migrations README.md, Removing a column (ignore the column first) (safe).
# Verdict: safe: no SQL; the column stays for the old code.
from django.db import migrations

VERDICT = "safe"
PEERS = ("sentry", "strong_migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField("account", "nickname")],
        ),
    ]
