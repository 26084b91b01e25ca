# Existing table: a unique index built CONCURRENTLY, then the constraint USING it.
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM011 (safe pattern) (safe).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Dealing with UNIQUE constraint (safe).
# Source: ankane/strong_migrations README.md, Adding a unique constraint (good) (safe).
# Verdict: safe: the build lets writes through; USING INDEX only attaches it (a moment).
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-safe-migrations", "django-pg-zero-downtime-migrations", "strong_migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'CREATE UNIQUE INDEX CONCURRENTLY "lint_peers_email_uniq" ON "lint_peers_account" ("email")',
            reverse_sql='DROP INDEX CONCURRENTLY "lint_peers_email_uniq"',
        ),
        migrations.RunSQL(
            'ALTER TABLE "lint_peers_account" ADD CONSTRAINT "lint_peers_email_uniq" '
            'UNIQUE USING INDEX "lint_peers_email_uniq"',
            reverse_sql='ALTER TABLE "lint_peers_account" DROP CONSTRAINT "lint_peers_email_uniq"',
        ),
    ]
