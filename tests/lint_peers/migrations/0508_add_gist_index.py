# Existing table: a GiST index.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0038_add_gist_index.py (safe only as tbicr rewrites it CONCURRENTLY).
# Verdict: unsafe: CREATE INDEX blocks writes for the whole build.
from django.contrib.postgres.indexes import GistIndex
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddIndex("invoice", GistIndex(fields=["period"], name="lint_peers_period_gist")),
    ]
