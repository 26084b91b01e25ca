# Existing table: a stock ForeignKey: constraint and index.
# Source: ankane/strong_migrations README.md, Adding a reference (unsafe: the index is not concurrent).
# Source: ankane/strong_migrations README.md, Adding a foreign key (unsafe).
# Verdict: unsafe: both the validated constraint and the index block writes.
import django.db.models.deletion
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("strong_migrations",)
EXPECTED = {"index-not-concurrent": "blocking", "constraint-not-valid": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField(
            "account",
            "badge",
            models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, to="lint_peers.tag"
            ),
        ),
    ]
