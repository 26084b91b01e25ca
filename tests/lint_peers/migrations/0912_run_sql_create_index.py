# Existing table: RunSQL CREATE INDEX without reverse_sql.
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, testapp 0006_run_sql_no_reverse (SM007 warning).
# Verdict: unsafe: CREATE INDEX blocks writes for the whole build; no reverse is advice.
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("django-safe-migrations",)
EXPECTED = {"index-not-concurrent": "blocking", "run-sql-without-reverse": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL('CREATE INDEX "lint_peers_created_idx" ON "lint_peers_account" ("id")'),
    ]
