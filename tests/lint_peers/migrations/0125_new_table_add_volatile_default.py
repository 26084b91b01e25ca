# A table created in this migration: a volatile database default on a new table.
# Source: ankane/strong_migrations README.md, Adding a column with a volatile default value (rewrites an existing table).
# Verdict: safe: rewriting an empty table costs nothing.
from django.contrib.postgres.functions import RandomUUID
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
        migrations.AddField("fresh", "token", models.UUIDField(db_default=RandomUUID())),
    ]
