# Existing table: an index built CONCURRENTLY outside a transaction.
# Source: ankane/strong_migrations README.md, Adding an index non-concurrently (good) (safe).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM010 (safe pattern) (safe).
# Verdict: safe: SHARE UPDATE EXCLUSIVE lets reads and writes through.
from django.contrib.postgres import operations as pg
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("strong_migrations", "django-safe-migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        pg.AddIndexConcurrently(
            "account", models.Index(fields=["nickname"], name="lint_peers_nick_idx")
        ),
    ]
