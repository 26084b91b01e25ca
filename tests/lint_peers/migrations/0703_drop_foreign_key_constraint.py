# Existing table: a foreign key constraint dropped (db_constraint=False).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 22 (safe).
# Verdict: safe: DROP CONSTRAINT is catalog only (both tables locked for a moment).
import django.db.models.deletion
from django.db import migrations

import americano.db.fields

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField(
            "invoice",
            "account",
            americano.db.fields.ForeignKey(
                db_constraint=False,
                db_on_delete="CASCADE",
                db_on_update="CASCADE",
                on_delete=django.db.models.deletion.CASCADE,
                to="lint_peers.account",
            ),
        ),
    ]
