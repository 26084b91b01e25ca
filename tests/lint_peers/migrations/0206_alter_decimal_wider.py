# Existing table: numeric(10,2) to numeric(14,2).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Dealing with ALTER TABLE ALTER COLUMN TYPE, 3 (safe).
# Source: ankane/strong_migrations README.md, Changing the type of a column (safe in Postgres).
# Verdict: safe: a wider precision at the same scale rewrites nothing.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations", "strong_migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField(
            "account", "balance", models.DecimalField(max_digits=14, decimal_places=2, null=True)
        ),
    ]
