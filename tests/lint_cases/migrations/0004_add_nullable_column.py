# Good: a nullable column is added without a rewrite and breaks nobody.
from django.db import migrations, models

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0003_add_column_with_db_default")]
    operations = [
        migrations.AddField("book", "isbn", models.TextField(null=True)),
    ]
