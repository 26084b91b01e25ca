# Existing table: a four-column index, built CONCURRENTLY.
# Source: ankane/strong_migrations README.md, Keeping non-unique indexes to three columns or less (best practice).
# Verdict: safe: built without blocking; more than three columns rarely helps: advice.
from django.contrib.postgres import operations as pg
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("strong_migrations",)
EXPECTED = {"wide-index": "advice"}


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        pg.AddIndexConcurrently(
            "account",
            models.Index(fields=["name", "email", "score", "balance"], name="lint_peers_wide_idx"),
        ),
    ]
