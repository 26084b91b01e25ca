# Existing table: a BRIN index.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0026_add_brin_index.py (safe only as tbicr rewrites it CONCURRENTLY).
# Verdict: unsafe: CREATE INDEX blocks writes for the whole build.
from django.contrib.postgres.indexes import BrinIndex
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddIndex("account", BrinIndex(fields=["signup"], name="lint_peers_signup_brin")),
    ]
