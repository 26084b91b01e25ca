# Existing table: a deferrable unique constraint.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0050_add_unique_constraint_deferrable.py (safe with tbicr).
# Verdict: unsafe: this project makes uniqueness a unique index, which cannot be deferrable:
#   migrate fails.
# Peers disagree: tbicr's backend writes a deferrable constraint; ours (Prisma's DDL)
#   refuses it.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"operation-fails": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddConstraint(
            "account",
            models.UniqueConstraint(
                fields=["email"], deferrable=models.Deferrable.DEFERRED, name="lint_peers_email_key"
            ),
        ),
    ]
