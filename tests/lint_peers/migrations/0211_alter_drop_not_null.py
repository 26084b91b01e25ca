# Existing table: a NOT NULL column made nullable.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_alter_column_drop_not_null/migrations/0002_drop_not_null.py (valid).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0005_drop_field_not_null.py (safe).
# Source: YasserShkeir/django-safe-migrations tests/test_project/testapp/migrations/0022_drop_not_null.py (SM029 warning).
# Verdict: safe: catalog only; code that may read NULL now is advice.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-migration-linter", "django-pg-zero-downtime-migrations", "django-safe-migrations")
EXPECTED = {"ban-drop-not-null": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "legacy", models.TextField(null=True)),
    ]
