# Existing table: a column with db_index.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_create_index_exclusive/migrations/0002_user_email.py (warning CREATE_INDEX).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0014_add_field_with_index.py (safe only as tbicr rewrites it CONCURRENTLY).
# Verdict: unsafe: CREATE INDEX blocks writes for the whole build.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-migration-linter", "django-pg-zero-downtime-migrations")
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "city", models.TextField(null=True, db_index=True)),
    ]
