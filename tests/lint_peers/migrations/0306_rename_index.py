# Existing table: an index renamed.
# Source: none of the peers has this case; ours.
# Verdict: safe: ALTER INDEX RENAME takes SHARE UPDATE EXCLUSIVE (PostgreSQL >= 12) for a
#   moment; no code uses index names.
from django.db import migrations

VERDICT = "safe"
PEERS = ()
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RenameIndex(
            "account",
            new_name="lint_peers_account_code_key2",
            old_name="lint_peers_account_code_idx",
        ),
    ]
