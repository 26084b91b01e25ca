# Existing table: the database default of a NOT NULL column dropped.
# Source: none of the peers has this case; ours.
# Verdict: unsafe: the running code INSERTs DEFAULT for a db_default field, which is now
#   NULL: INSERTs fail on NOT NULL.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ()
EXPECTED = {"not-null-column-without-default": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "plan", models.TextField(default="free")),
    ]
