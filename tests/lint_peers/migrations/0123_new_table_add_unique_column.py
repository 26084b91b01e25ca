# A table created in this migration: a unique column on a new table.
# Source: ankane/strong_migrations README.md, Adding an index non-concurrently (indexes on new tables are fine).
# Verdict: safe: building an index on an empty table takes no time.
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
        migrations.AddField("fresh", "slug", models.TextField(null=True, unique=True)),
    ]
