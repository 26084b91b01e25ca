# Existing table: a foreign key's ON DELETE action changed.
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, rows 21-22 (drop FK safe, add FK unsafe) (unsafe).
# Verdict: unsafe: the constraint is dropped and added again, validated at once: a scan with
#   both tables locked.
import django.db.models.deletion
from django.db import migrations

import americano.db.fields

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"constraint-not-valid": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField(
            "invoice",
            "account",
            americano.db.fields.ForeignKey(
                db_on_delete="RESTRICT",
                db_on_update="CASCADE",
                on_delete=django.db.models.deletion.PROTECT,
                to="lint_peers.account",
            ),
        ),
    ]
