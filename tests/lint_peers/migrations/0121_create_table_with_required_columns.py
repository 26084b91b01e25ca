# A table created in this migration: NOT NULL columns in CREATE TABLE.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_create_table_with_not_null_column/migrations/0001_initial.py (valid).
# Verdict: safe: nobody uses a table before it exists.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-migration-linter",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Fresh",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("title", models.TextField()),
                ("size", models.IntegerField()),
            ],
        ),
    ]
