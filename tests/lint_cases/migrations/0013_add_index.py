# Bad: CREATE INDEX blocks writes to an existing table for the whole build.
from django.db import migrations, models

EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0012_remove_field_from_state")]
    operations = [
        migrations.AddIndex("book", models.Index(fields=["pages"], name="lint_book_pages_idx")),
    ]
