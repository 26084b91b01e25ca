# Bad: integer -> bigint rewrites the table under ACCESS EXCLUSIVE.
from django.db import migrations, models

EXPECTED = {"column-type-change": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0004_add_nullable_column")]
    operations = [
        migrations.AlterField("book", "pages", models.BigIntegerField(default=0)),
    ]
