# Existing table: a PositiveIntegerField, whose column carries a CHECK.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0008_add_field_with_check_constraint.py (safe only as tbicr adds the check NOT VALID).
# Verdict: unsafe: ADD COLUMN ... CHECK validates the check against every row under ACCESS
#   EXCLUSIVE (squawk misses it).
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"constraint-not-valid": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "stars", models.PositiveIntegerField(null=True)),
    ]
