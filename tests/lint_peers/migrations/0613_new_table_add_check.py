# A table created in this migration: a check constraint on a new table.
# Source: ankane/strong_migrations README.md, Adding a check constraint (existing tables only).
# Verdict: safe: an empty table is checked at once.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("strong_migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Fresh",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("size", models.IntegerField()),
            ],
        ),
        migrations.AddConstraint(
            "fresh",
            models.CheckConstraint(condition=models.Q(size__gte=0), name="lint_peers_size_check"),
        ),
    ]
