# A table created in this migration: a stock ForeignKey (constraint and index) on a new table.
# Source: ankane/strong_migrations README.md, Adding a reference (existing tables only).
# Verdict: safe: the new table is empty: its index and validation take no time, and the
#   referenced table is locked for a moment.
import django.db.models.deletion
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
        migrations.AddField(
            "fresh",
            "account",
            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="lint_peers.account"),
        ),
    ]
