# Existing table: RunSQL that only selects.
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_run_sql_disabled_app/migrations/0001_initial.py (unsafe: plain RunSQL is banned).
# Verdict: safe: a SELECT locks nothing that blocks; only the missing reverse is advice.
# Peers disagree: Sentry bans unchecked RunSQL as policy; the lint reads the SQL instead.
from django.db import migrations

VERDICT = "safe"
PEERS = ("sentry",)
EXPECTED = {"run-sql-without-reverse": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL("select 1;"),
    ]
