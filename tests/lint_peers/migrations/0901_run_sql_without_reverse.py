# Existing table: RunSQL without reverse_sql.
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, testapp 0006_run_sql_no_reverse (SM007 warning).
# Source: 3YOURMIND/django-migration-linter docs/incompatibilities.md, RUNSQL_REVERSIBLE (warning).
# Verdict: safe: the migration cannot be unapplied: advice.
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-safe-migrations", "django-migration-linter")
EXPECTED = {"run-sql-without-reverse": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL('UPDATE "lint_peers_invoice" SET "note" = trim("note")'),
    ]
