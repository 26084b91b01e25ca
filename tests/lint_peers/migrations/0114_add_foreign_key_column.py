# Existing table: a foreign key column (no index, as in this project).
# Source: ankane/strong_migrations README.md, Adding a foreign key (unsafe).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0010_add_field_with_foreign_key.py (safe only as tbicr adds it NOT VALID).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM005 (warning).
# Verdict: unsafe: the constraint is validated at once, scanning the table with SHARE ROW
#   EXCLUSIVE on both tables.
import django.db.models.deletion
from django.db import migrations

import americano.db.fields

VERDICT = "unsafe"
PEERS = ("strong_migrations", "django-pg-zero-downtime-migrations", "django-safe-migrations")
EXPECTED = {"constraint-not-valid": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField(
            "account",
            "favourite",
            americano.db.fields.ForeignKey(
                null=True,
                db_on_delete="SET NULL",
                db_on_update="CASCADE",
                on_delete=django.db.models.deletion.SET_NULL,
                to="lint_peers.tag",
            ),
        ),
    ]
