# A table created in this migration: a foreign key from a new table to an existing one.
# Source: ankane/strong_migrations README.md, Adding a foreign key (a new table has no rows to validate).
# Verdict: safe: validation scans the new, empty table; the existing table is locked for a
#   moment.
import django.db.models.deletion
from django.db import migrations, models

import americano.db.fields

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
            americano.db.fields.ForeignKey(
                db_on_delete="CASCADE",
                db_on_update="CASCADE",
                on_delete=django.db.models.deletion.CASCADE,
                to="lint_peers.account",
            ),
        ),
    ]
