# Existing table: ALTER TABLE SET TABLESPACE in RunSQL.
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 6 (unsafe).
# Verdict: unsafe: the table is copied to the tablespace under ACCESS EXCLUSIVE.
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"table-rewrite": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'ALTER TABLE "lint_peers_account" SET TABLESPACE pg_default',
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
