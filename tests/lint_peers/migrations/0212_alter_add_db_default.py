# Existing table: a database default set on a column.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0003_set_field_default.py (safe).
# Verdict: safe: SET DEFAULT is catalog only.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField(
            "account", "nickname", models.TextField(null=True, db_default="anonymous")
        ),
    ]
