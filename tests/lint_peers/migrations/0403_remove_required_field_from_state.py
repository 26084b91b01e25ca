# Existing table: a NOT NULL field without a database default removed from the state only.
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_delete_field_pending_with_not_null_app/migrations/0002_delete_without_pending.py (unsafe).
# Source: 3YOURMIND/django-migration-linter docs/incompatibilities.md, Dropping a column (fake-dropping a NOT NULL column) (unsafe).
# Verdict: unsafe: the new code INSERTs without the column, which refuses NULL.
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("sentry", "django-migration-linter")
EXPECTED = {"required-column-hidden": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField("account", "legacy")],
        ),
    ]
