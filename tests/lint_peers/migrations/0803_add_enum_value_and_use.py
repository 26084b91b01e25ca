# Existing table: an enum label added and used in one transaction.
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, Enum value in transaction (error).
# Verdict: unsafe: PostgreSQL refuses a label in the transaction that adds it: migrate
#   fails.
from django.db import migrations

import americano.db.fields
import americano.db.operations

VERDICT = "unsafe"
PEERS = ("django-safe-migrations",)
EXPECTED = {"enum-label-added-and-used": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        americano.db.operations.AddEnumValue("LintPeerMood", "MEDIUM", after="LOW"),
        migrations.AlterField(
            "account",
            "mood",
            americano.db.fields.EnumField(enum_type="LintPeerMood", null=True, db_default="MEDIUM"),
        ),
    ]
