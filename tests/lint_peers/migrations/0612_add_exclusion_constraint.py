# Existing table: an exclusion constraint.
# Source: ankane/strong_migrations README.md, Adding an exclusion constraint (unsafe).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 27 (unsafe).
# Verdict: unsafe: its index is built under ACCESS EXCLUSIVE, and it cannot be added NOT
#   VALID.
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("strong_migrations", "django-pg-zero-downtime-migrations")
EXPECTED = {"exclusion-constraint": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddConstraint(
            "invoice",
            ExclusionConstraint(
                name="lint_peers_period_excl", expressions=[("period", RangeOperators.OVERLAPS)]
            ),
        ),
    ]
