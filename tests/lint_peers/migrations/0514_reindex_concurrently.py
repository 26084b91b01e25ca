# Existing table: REINDEX CONCURRENTLY outside a transaction.
# Source: 3YOURMIND/django-migration-linter docs/incompatibilities.md, REINDEX (the concurrent form is the fix).
# Verdict: safe: SHARE UPDATE EXCLUSIVE only.
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-migration-linter",)
EXPECTED = {}


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'REINDEX TABLE CONCURRENTLY "lint_peers_account"', reverse_sql=migrations.RunSQL.noop
        ),
    ]
