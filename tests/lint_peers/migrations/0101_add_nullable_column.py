# Existing table: a nullable column.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0002_add_nullable_field.py (safe).
# Source: getsentry/sentry fixtures/safe_migrations_apps/good_flow_reverse_additive_app/migrations/0002_additions.py (safe).
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, testapp 0003_safe_nullable (safe).
# Verdict: safe: catalog only; old code's INSERTs store NULL.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations", "sentry", "django-safe-migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "middle_name", models.TextField(null=True)),
    ]
