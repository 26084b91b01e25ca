# Existing table: a unique constraint dropped (its index, here).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0019_drop_unique_constraint.py (safe).
# Verdict: safe: dropping the index holds ACCESS EXCLUSIVE for a moment: advice.
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"require-concurrent-index-deletion": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RemoveConstraint("account", "lint_peers_account_name_key"),
    ]
