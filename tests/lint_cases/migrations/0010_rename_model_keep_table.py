# Good: Meta.db_table keeps the table's name.
from django.db import migrations

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0009_rename_table")]
    operations = [
        migrations.RenameModel("Tag", "Label"),
    ]
