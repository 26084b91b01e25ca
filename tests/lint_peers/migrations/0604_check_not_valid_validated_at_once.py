# Existing table: a check added NOT VALID and validated in the same transaction.
# Source: ankane/strong_migrations README.md, Adding a check constraint (validate in a separate migration) (unsafe).
# Verdict: unsafe: the ACCESS EXCLUSIVE lock of the ADD is held while VALIDATE scans every
#   row.
from django.contrib.postgres import operations as pg
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("strong_migrations",)
EXPECTED = {"constraint-not-valid": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        pg.AddConstraintNotValid(
            "account",
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="lint_peers_balance_check"
            ),
        ),
        pg.ValidateConstraint("account", "lint_peers_balance_check"),
    ]
