# Existing table: a partial unique constraint.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0020_add_unique_constraint_with_condition.py (safe only as tbicr builds the index CONCURRENTLY).
# Verdict: unsafe: its unique index is built with writes blocked.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddConstraint(
            "account",
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(email__isnull=False),
                name="lint_peers_account_email_key",
            ),
        ),
    ]
