# A table created in this migration: a table created in the database side of SeparateDatabaseAndState, then indexed.
# Source: none of the peers has this case; ours.
# Verdict: safe: the table is new and empty.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ()
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.CreateModel(
                    name="Fresh",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("title", models.TextField()),
                    ],
                )
            ],
            state_operations=[
                migrations.CreateModel(
                    name="Fresh",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("title", models.TextField()),
                    ],
                )
            ],
        ),
        migrations.AddIndex(
            "fresh", models.Index(fields=["title"], name="lint_peers_fresh_title_idx")
        ),
    ]
