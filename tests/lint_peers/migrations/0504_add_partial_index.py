# Existing table: a partial index.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0024_add_index_with_condition.py (safe only as tbicr rewrites it CONCURRENTLY).
# Verdict: unsafe: a partial index still reads the whole table with writes blocked.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddIndex(
            "account",
            models.Index(
                fields=["nickname"],
                condition=models.Q(nickname__isnull=False),
                name="lint_peers_nick_idx",
            ),
        ),
    ]
