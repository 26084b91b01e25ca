# Good: only Python-side attributes change; no SQL.
from django.db import migrations, models

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0005_change_column_type")]
    operations = [
        migrations.AlterField("book", "title", models.TextField(help_text="As printed")),
    ]
