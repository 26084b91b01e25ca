# Existing table: a NOT NULL column with a Python default, then a database default for it.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_add_not_null_column_followed_by_default/migrations/0002_a_not_null_field.py (safe (AddDefaultValue)).
# Verdict: safe: the database default set in the same transaction is there before any old
#   INSERT can run.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-migration-linter",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "visits", models.IntegerField(default=1)),
        migrations.RunSQL(
            'ALTER TABLE "lint_peers_account" ALTER COLUMN "visits" SET DEFAULT 1',
            reverse_sql='ALTER TABLE "lint_peers_account" ALTER COLUMN "visits" DROP DEFAULT',
        ),
    ]
