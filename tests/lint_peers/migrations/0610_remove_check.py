# Existing table: a check constraint dropped.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0017_drop_check_constraint.py (safe).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 20 (safe).
# Verdict: safe: DROP CONSTRAINT is catalog only.
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RemoveConstraint("account", "lint_peers_account_score_check"),
    ]
