# A table created in this migration: a unique constraint on a new table.
# Source: ankane/strong_migrations README.md, Adding a unique constraint (existing tables only).
# Verdict: safe: an empty table is indexed at once.
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
                ("slug", models.TextField()),
            ],
        ),
        migrations.AddConstraint(
            "fresh", models.UniqueConstraint(fields=["slug"], name="lint_peers_fresh_slug_key")
        ),
    ]
