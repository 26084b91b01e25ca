# Bad: the name says nothing of what the migration does.
from django.db import migrations, models

EXPECTED = {"auto-generated-name": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0029_backfill_alone")]
    operations = [migrations.AddField("book", "note", models.TextField(null=True))]
