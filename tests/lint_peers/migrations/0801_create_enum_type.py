# A table created in this migration: an enum type created.
# Source: none of the peers has this case; ours.
# Verdict: safe: a new type locks nothing existing.
from django.db import migrations

import americano.db.operations

VERDICT = "safe"
PEERS = ()
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        americano.db.operations.CreateEnumType(name="LintPeerSize", values=["S", "M", "L"]),
    ]
