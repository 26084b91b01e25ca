# Existing table: a validated foreign key in RunSQL.
# Source: ankane/strong_migrations README.md, Adding a foreign key (unsafe).
# Verdict: unsafe: validated at once: a scan with both tables locked.
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("strong_migrations",)
EXPECTED = {"constraint-not-valid": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'ALTER TABLE "lint_peers_invoice" ADD CONSTRAINT "lint_peers_invoice_tag_fkey"'
            ' FOREIGN KEY ("id") REFERENCES "lint_peers_tag" ("id")',
            reverse_sql='ALTER TABLE "lint_peers_invoice" DROP CONSTRAINT "lint_peers_invoice_tag_fkey"',
        ),
    ]
