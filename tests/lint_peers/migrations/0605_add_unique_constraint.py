# Existing table: a unique constraint.
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, testapp 0008_unique_constraint (SM009 error).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0018_add_unique_constraint.py (safe only as tbicr builds the index CONCURRENTLY).
# Source: ankane/strong_migrations README.md, Adding a unique constraint (unsafe).
# Source: 3YOURMIND/django-migration-linter docs/incompatibilities.md, ADD_UNIQUE (error).
# Verdict: unsafe: its unique index is built with writes blocked.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = (
    "django-safe-migrations",
    "django-pg-zero-downtime-migrations",
    "strong_migrations",
    "django-migration-linter",
)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddConstraint(
            "account",
            models.UniqueConstraint(fields=["email"], name="lint_peers_account_email_key"),
        ),
    ]
