# Existing table: a nullable column made NOT NULL.
# Source: ankane/strong_migrations README.md, Setting NOT NULL on an existing column (unsafe).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0004_set_field_not_null.py (safe only as tbicr goes through a CHECK).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM020 (error).
# Verdict: unsafe: SET NOT NULL scans every row under ACCESS EXCLUSIVE.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("strong_migrations", "django-pg-zero-downtime-migrations", "django-safe-migrations")
EXPECTED = {"adding-not-nullable-field": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "nickname", models.TextField()),
    ]
