# Existing table: a NOT NULL column with a database default.
# Source: getsentry/sentry fixtures/safe_migrations_apps/good_flow_add_column_with_notnull_db_default_app/migrations/0002_add_field_notnull_db_default.py (safe).
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_add_not_null_column_followed_by_db_default/migrations/0002_a_not_null_field_db_default.py (safe).
# Verdict: safe: the constant is stored once (no rewrite) and stays, so old INSERTs get it.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("sentry", "django-migration-linter")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "visits", models.IntegerField(db_default=0)),
    ]
