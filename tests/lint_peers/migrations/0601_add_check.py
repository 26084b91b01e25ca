# Existing table: a check constraint.
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM017 (warning).
# Source: ankane/strong_migrations README.md, Adding a check constraint (unsafe).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0016_add_check_constraint.py (safe only as tbicr adds it NOT VALID).
# Verdict: unsafe: every row is checked under ACCESS EXCLUSIVE.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-safe-migrations", "strong_migrations", "django-pg-zero-downtime-migrations")
EXPECTED = {"constraint-not-valid": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddConstraint(
            "account",
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="lint_peers_balance_check"
            ),
        ),
    ]
