# Existing table: an index.
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, testapp 0004_unsafe_index (SM010 error).
# Source: ankane/strong_migrations README.md, Adding an index non-concurrently (unsafe).
# Source: 3YOURMIND/django-migration-linter docs/incompatibilities.md, CREATE_INDEX (warning).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0022_add_index.py (safe only as tbicr rewrites it CONCURRENTLY).
# Verdict: unsafe: CREATE INDEX blocks writes for the whole build.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = (
    "django-safe-migrations",
    "strong_migrations",
    "django-migration-linter",
    "django-pg-zero-downtime-migrations",
)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddIndex(
            "account", models.Index(fields=["nickname"], name="lint_peers_nick_idx")
        ),
    ]
