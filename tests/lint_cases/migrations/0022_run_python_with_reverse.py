# Good.
from django.db import migrations


def forwards(apps, schema_editor):
    pass


EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0021_run_python_without_reverse")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
