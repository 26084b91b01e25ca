# A table created in this migration: a column type changed on a new table.
# Source: ankane/strong_migrations README.md, Changing the type of a column (rewrites an existing table).
# Verdict: safe: rewriting an empty table costs nothing.
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
        migrations.AlterField("fresh", "size", models.BigIntegerField()),
    ]
