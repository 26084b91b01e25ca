# Existing table: an index dropped without CONCURRENTLY.
# Source: YasserShkeir/django-safe-migrations tests/test_project/testapp/migrations/0023_remove_index.py (SM030 error).
# Source: ankane/strong_migrations README.md, Opt-in Checks, Removing an index non-concurrently (fine for most applications).
# Source: 3YOURMIND/django-migration-linter docs/incompatibilities.md, DROP_INDEX (warning).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 30 (safe).
# Source: getsentry/sentry fixtures/safe_migrations_apps/good_flow_reverse_remove_index_app/migrations/0002_remove_index.py (safe).
# Verdict: safe: DROP INDEX holds ACCESS EXCLUSIVE for a moment (no scan), and the deploy's
#   lock_timeout bounds the wait: advice.
# Peers disagree: django-safe-migrations calls it an error; strong_migrations, tbicr and
#   Sentry do not.
from django.db import migrations

VERDICT = "safe"
PEERS = (
    "django-safe-migrations",
    "strong_migrations",
    "django-migration-linter",
    "django-pg-zero-downtime-migrations",
    "sentry",
)
EXPECTED = {"require-concurrent-index-deletion": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RemoveIndex("account", "lint_peers_account_code_idx"),
    ]
