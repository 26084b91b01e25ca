# Existing table: a table comment.
# Source: none of the peers has this case; ours.
# Verdict: safe: COMMENT ON takes SHARE UPDATE EXCLUSIVE for a moment.
from django.db import migrations

VERDICT = "safe"
PEERS = ()
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterModelTableComment("account", "Who pays."),
    ]
