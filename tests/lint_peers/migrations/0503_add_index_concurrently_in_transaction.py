# Existing table: AddIndexConcurrently in an atomic migration.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_create_index_concurrently_exclusive/migrations/0002_index.py (error).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM018 (error).
# Source: ankane/strong_migrations README.md, Adding an index non-concurrently (the migration fails).
# Verdict: unsafe: CONCURRENTLY cannot run in a transaction: migrate fails.
from django.contrib.postgres import operations as pg
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-migration-linter", "django-safe-migrations", "strong_migrations")
EXPECTED = {"operation-fails": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        pg.AddIndexConcurrently(
            "account", models.Index(fields=["nickname"], name="lint_peers_nick_idx")
        ),
    ]
