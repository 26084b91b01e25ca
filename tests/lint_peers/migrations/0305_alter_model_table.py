# Existing table: Meta.db_table changed.
# Source: ankane/strong_migrations README.md, Renaming a table (unsafe).
# Verdict: unsafe: the running code still queries the old table.
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("strong_migrations",)
EXPECTED = {"rename-table": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterModelTable("tag", "lint_peers_labels"),
    ]
