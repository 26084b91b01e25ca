# Existing table: a nullable column made NOT NULL, its database default kept.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_make_not_null_with_lib_default/migrations/0002_make_not_null_with_lib_default.py (valid).
# Verdict: unsafe: the default keeps old INSERTs working, but SET NOT NULL still scans every
#   row under ACCESS EXCLUSIVE.
# Peers disagree: django-migration-linter checks compatibility with the running code only;
#   the lock decides.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-migration-linter",)
EXPECTED = {"adding-not-nullable-field": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "nickname", models.TextField(db_default="anonymous")),
    ]
