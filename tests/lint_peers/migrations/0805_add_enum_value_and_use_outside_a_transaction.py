# Existing table: an enum label added and used in a non-atomic migration.
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM012 (safe pattern: atomic = False) (safe).
# Verdict: safe: each statement commits on its own, so the label exists before it is used.
from django.db import migrations

import americano.db.operations

VERDICT = "safe"
PEERS = ("django-safe-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        americano.db.operations.AddEnumValue("LintPeerMood", "MEDIUM", after="LOW"),
        migrations.RunSQL(
            """UPDATE "lint_peers_account" SET "mood" = 'MEDIUM' WHERE "mood" IS NULL""",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
