# Existing table: RunSQL that shortens lock_timeout, then alters.
# Source: tbicr/django-pg-zero-downtime-migrations README.md, ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT (safe).
# Verdict: safe: a shorter wait than the deploy's is stricter, not looser.
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            [
                "SET LOCAL lock_timeout = '2s'",
                'ALTER TABLE "lint_peers_account" ADD COLUMN "extra" integer NULL',
            ],
            reverse_sql='ALTER TABLE "lint_peers_account" DROP COLUMN "extra"',
        ),
    ]
