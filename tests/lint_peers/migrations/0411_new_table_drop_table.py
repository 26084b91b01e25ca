# A table created in this migration: a new table dropped again.
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_delete_model_app/migrations/0002_delete_model.py (existing tables only).
# Verdict: safe: no running code knows the new table.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("sentry",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Fresh",
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
        ),
        migrations.DeleteModel("Fresh"),
    ]
