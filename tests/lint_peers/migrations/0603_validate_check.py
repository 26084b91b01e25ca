# Existing table: a NOT VALID check validated in a later migration.
# Source: ankane/strong_migrations README.md, Adding a check constraint (good) (safe).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM017 (safe pattern) (safe).
# Verdict: safe: VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: reads and writes go on.
from django.contrib.postgres import operations as pg
from django.db import migrations

VERDICT = "safe"
PEERS = ("strong_migrations", "django-safe-migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        pg.ValidateConstraint("account", "lint_peers_account_score_check"),
    ]
