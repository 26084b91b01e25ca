# Existing table: an enum label added without AFTER or BEFORE.
# Source: none of the peers has this case; ours.
# Verdict: safe: appending works; whether the label's order matters is advice.
from django.db import migrations

import americano.db.operations

VERDICT = "safe"
PEERS = ()
EXPECTED = {"require-enum-value-ordering": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        americano.db.operations.AddEnumValue("LintPeerMood", "EXTREME"),
    ]
