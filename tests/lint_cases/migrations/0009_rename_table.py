# Bad: the running code still queries lint_cases_shelf.
from django.db import migrations

EXPECTED = {"rename-table": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0008_rename_field_keep_column")]
    operations = [
        migrations.RenameModel("Shelf", "Bookcase"),
    ]
