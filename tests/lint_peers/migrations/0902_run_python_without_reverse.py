# Existing table: RunPython without reverse_code.
# Source: YasserShkeir/django-safe-migrations docs/detected-patterns.md, testapp 0009_run_python_no_reverse (SM016 info).
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_data_migrations/migrations/0002_missing_reverse.py (warning).
# Verdict: safe: the migration cannot be unapplied: advice.
from django.db import migrations


def update_things(apps, schema_editor):
    pass


VERDICT = "safe"
PEERS = ("django-safe-migrations", "django-migration-linter")
EXPECTED = {"run-python-without-reverse": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunPython(update_things),
    ]
