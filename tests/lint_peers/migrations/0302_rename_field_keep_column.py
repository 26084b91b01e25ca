# Existing table: a field renamed in the state only.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_rename_column_custom/migrations/0003_rename_renamed_a_renamed_safe.py (valid).
# Verdict: safe: the column keeps its name; only Python changes.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-migration-linter",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    "account", "nickname", models.TextField(null=True, db_column="nickname")
                ),
                migrations.RenameField("account", "nickname", "handle"),
            ],
        ),
    ]
