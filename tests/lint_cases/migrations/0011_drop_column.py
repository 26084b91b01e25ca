# Bad: the running code still selects "tagline".
from django.db import migrations

EXPECTED = {"drop-column": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0010_rename_model_keep_table")]
    operations = [
        migrations.RemoveField("book", "tagline"),
    ]
