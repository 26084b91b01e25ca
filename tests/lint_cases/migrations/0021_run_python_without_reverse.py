# Bad: this migration cannot be unapplied.
from django.db import migrations


def forwards(apps, schema_editor):
    pass


EXPECTED = {"run-python-without-reverse": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0020_validate_check")]
    operations = [migrations.RunPython(forwards)]
