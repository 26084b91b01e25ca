# A table created in this migration: RunSQL CREATE TABLE without IF NOT EXISTS.
# Source: YasserShkeir/django-safe-migrations tests/test_project/testapp/migrations/0026_create_table_no_if_exists.py (SM036 info).
# Verdict: safe: an atomic migration rolls back whole, so a rerun finds nothing half done.
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-safe-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL(
            'CREATE TABLE "lint_peers_cache" ("key" text PRIMARY KEY, "value" text)',
            reverse_sql='DROP TABLE "lint_peers_cache"',
        ),
    ]
