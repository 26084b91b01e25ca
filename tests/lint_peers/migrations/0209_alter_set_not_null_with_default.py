# Existing table: a nullable column made NOT NULL with a Python default.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_make_not_null_with_django_default/migrations/0002_make_not_null_with_django_default.py (error).
# Verdict: unsafe: NULLs are updated and SET NOT NULL scans every row under ACCESS
#   EXCLUSIVE; the default is dropped again.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-migration-linter",)
EXPECTED = {"adding-not-nullable-field": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "nickname", models.TextField(default="anonymous")),
    ]
