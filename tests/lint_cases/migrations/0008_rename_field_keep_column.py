# Good: the field is renamed, its column keeps its name.
from django.db import migrations, models

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0007_rename_column")]
    operations = [
        migrations.AlterField("author", "name", models.TextField(db_column="name")),
        migrations.RenameField("author", "name", "full_name"),
    ]
