# Existing table: the database default of a nullable column dropped.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0006_drop_field_default.py (safe).
# Verdict: safe: DROP DEFAULT is catalog only; old INSERTs store NULL.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "region", models.TextField(null=True)),
    ]
