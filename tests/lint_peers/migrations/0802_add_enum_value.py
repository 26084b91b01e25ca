# Existing table: an enum label added in a transaction.
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM012 (error: cannot run in a transaction).
# Verdict: safe: PostgreSQL >= 12 adds a label inside a transaction; only its use must wait
#   for the commit.
# Peers disagree: SM012 describes PostgreSQL before 12; we support 14 and later.
from django.db import migrations

import americano.db.operations

VERDICT = "safe"
PEERS = ("django-safe-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        americano.db.operations.AddEnumValue("LintPeerMood", "MEDIUM", after="LOW"),
    ]
