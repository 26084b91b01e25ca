# Existing table: a foreign key validated in a later migration.
# Source: ankane/strong_migrations README.md, Adding a foreign key (good) (safe).
# Verdict: safe: VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE.
from django.db import migrations

VERDICT = "safe"
PEERS = ("strong_migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'ALTER TABLE "lint_peers_invoice" VALIDATE CONSTRAINT "lint_peers_invoice_account_id_fkey"',
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
