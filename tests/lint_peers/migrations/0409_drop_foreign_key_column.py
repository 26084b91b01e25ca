# Existing table: a foreign key field removed.
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_delete_field_pending_with_fk_constraint_app/migrations/0002_delete_without_pending.py (unsafe).
# Verdict: unsafe: the running code still selects the column.
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("sentry",)
EXPECTED = {"drop-column": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RemoveField("invoice", "account"),
    ]
