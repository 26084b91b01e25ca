# Existing table: an enum label removed.
# Source: none of the peers has this case; ours.
# Verdict: unsafe: the type is rebuilt and every column of it converted: each table using it
#   is rewritten under ACCESS EXCLUSIVE.
from django.db import migrations

import americano.db.operations

VERDICT = "unsafe"
PEERS = ()
EXPECTED = {"enum-label-removed": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        americano.db.operations.RemoveEnumValue("LintPeerMood", "HIGH"),
    ]
