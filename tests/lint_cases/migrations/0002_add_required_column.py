# Bad: NOT NULL, and the default Django adds is dropped again.
from django.db import migrations, models

EXPECTED = {"not-null-column-without-default": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0001_initial")]
    operations = [
        migrations.AddField("book", "pages", models.IntegerField(default=0)),
    ]
