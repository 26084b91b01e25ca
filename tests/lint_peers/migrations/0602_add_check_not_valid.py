# Existing table: a check constraint added NOT VALID.
# Source: ankane/strong_migrations README.md, Adding a check constraint (good) (safe).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 19 (add as not valid and validate) (safe).
# Verdict: safe: NOT VALID checks only new rows: a moment's ACCESS EXCLUSIVE.
from django.contrib.postgres import operations as pg
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("strong_migrations", "django-pg-zero-downtime-migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        pg.AddConstraintNotValid(
            "account",
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="lint_peers_balance_check"
            ),
        ),
    ]
