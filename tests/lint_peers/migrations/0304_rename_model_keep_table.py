# Existing table: a model renamed, its table kept.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_alter_table_with_same_db_table/migrations/0002_rename_model.py (safe).
# Verdict: safe: Meta.db_table keeps the table's name: no SQL.
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterModelTable("tag", "lint_peers_tag"),
        migrations.RenameModel("Tag", "Label"),
    ]
