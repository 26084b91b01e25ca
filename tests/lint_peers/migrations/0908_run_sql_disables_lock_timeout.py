# Existing table: RunSQL that turns lock_timeout off, then alters.
# Source: ankane/strong_migrations README.md, Migration Timeouts (set a short lock timeout).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Dealing with timeouts (lock_timeout avoids downtime).
# Verdict: unsafe: without lock_timeout the ALTER waits behind any long transaction, and
#   every query on the table queues behind it.
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("strong_migrations", "django-pg-zero-downtime-migrations")
EXPECTED = {"timeout-overridden": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            [
                "SET LOCAL lock_timeout = 0",
                'ALTER TABLE "lint_peers_account" ADD COLUMN "extra" integer NULL',
            ],
            reverse_sql='ALTER TABLE "lint_peers_account" DROP COLUMN "extra"',
        ),
    ]
