# Existing table: a text column turned into an enum.
# Source: ankane/strong_migrations README.md, Changing the type of a column (unsafe).
# Verdict: unsafe: every value is cast: a rewrite under ACCESS EXCLUSIVE.
from django.db import migrations

import americano.db.fields

VERDICT = "unsafe"
PEERS = ("strong_migrations",)
EXPECTED = {"column-type-change": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField(
            "account",
            "nickname",
            americano.db.fields.EnumField(enum_type="LintPeerMood", null=True),
        ),
    ]
