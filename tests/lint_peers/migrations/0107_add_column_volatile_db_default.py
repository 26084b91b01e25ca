# Existing table: a column whose database default is volatile.
# Source: ankane/strong_migrations README.md, Adding a column with a volatile default value (unsafe).
# Verdict: unsafe: gen_random_uuid() is evaluated for every existing row: the table is
#   rewritten under ACCESS EXCLUSIVE.
from django.contrib.postgres.functions import RandomUUID
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("strong_migrations",)
EXPECTED = {"table-rewrite": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "token", models.UUIDField(db_default=RandomUUID())),
    ]
