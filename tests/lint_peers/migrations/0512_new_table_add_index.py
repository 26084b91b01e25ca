# A table created in this migration: an index on a new table.
# Source: ankane/strong_migrations README.md, Adding an index non-concurrently (indexes on new tables are fine).
# Verdict: safe: the table is empty.
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
        migrations.AddIndex(
            "fresh", models.Index(fields=["title"], name="lint_peers_fresh_title_idx")
        ),
    ]
