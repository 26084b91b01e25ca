# Existing table: REINDEX without CONCURRENTLY.
# Source: 3YOURMIND/django-migration-linter docs/incompatibilities.md, REINDEX (warning).
# Verdict: unsafe: REINDEX TABLE blocks writes, and reads that use the index, for the whole
#   build.
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("django-migration-linter",)
EXPECTED = {"require-concurrent-reindex": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL('REINDEX TABLE "lint_peers_account"', reverse_sql=migrations.RunSQL.noop),
    ]
