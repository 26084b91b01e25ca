# Existing table: unique_together.
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_unique_together/migrations/0002_auto_20190729_2122.py (error ADD_UNIQUE).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM015 (warning).
# Verdict: unsafe: its unique index is built with writes blocked.
from django.db import migrations

VERDICT = "unsafe"
PEERS = ("django-migration-linter", "django-safe-migrations")
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterUniqueTogether("account", {("name", "email")}),
    ]
