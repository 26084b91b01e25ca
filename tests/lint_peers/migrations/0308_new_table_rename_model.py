# A table created in this migration: a new model renamed.
# Source: ankane/strong_migrations README.md, Renaming a table (in use tables only).
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
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
        ),
        migrations.RenameModel("Fresh", "Newer"),
    ]
