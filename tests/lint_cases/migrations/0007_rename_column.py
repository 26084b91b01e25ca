# Bad: the running code still selects "subtitle".
from django.db import migrations

EXPECTED = {"rename-column": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0006_alter_help_text")]
    operations = [
        migrations.RenameField("book", "subtitle", "tagline"),
    ]
