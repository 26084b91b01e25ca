# Existing table: a GIN index.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0034_add_gin_index.py (safe only as tbicr rewrites it CONCURRENTLY).
# Verdict: unsafe: CREATE INDEX blocks writes for the whole build.
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddIndex("account", GinIndex(fields=["data"], name="lint_peers_data_gin")),
    ]
