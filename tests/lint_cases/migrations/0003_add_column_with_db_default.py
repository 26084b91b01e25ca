# Good: the default stays in the database, so the old code's INSERTs still work.
from django.db import migrations, models

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0002_add_required_column")]
    operations = [
        migrations.AddField("book", "edition", models.IntegerField(db_default=1)),
    ]
