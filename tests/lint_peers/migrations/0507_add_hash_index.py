# Existing table: a hash index.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0042_add_hash_index.py (safe only as tbicr rewrites it CONCURRENTLY).
# Verdict: unsafe: CREATE INDEX blocks writes for the whole build.
from django.contrib.postgres.indexes import HashIndex
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddIndex("account", HashIndex(fields=["email"], name="lint_peers_email_hash")),
    ]
