# A table created in this migration: a NOT NULL column added after CREATE TABLE.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_create_table_with_not_null_column/migrations/0001_initial.py (valid).
# Verdict: safe: the table is new and empty: no running code inserts into it.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-migration-linter",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Fresh",
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
        ),
        migrations.AddField(
            "fresh", "size", models.IntegerField(default=1), preserve_default=False
        ),
    ]
