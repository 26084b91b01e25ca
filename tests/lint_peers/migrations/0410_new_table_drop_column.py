# A table created in this migration: a column of a new table dropped.
# Source: ankane/strong_migrations README.md, Removing a column (in use columns only).
# Verdict: safe: no running code knows the new table.
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
                ("title", models.TextField()),
            ],
        ),
        migrations.RemoveField("fresh", "title"),
    ]
