# Bad: CONCURRENTLY cannot run in the migration's transaction; migrate would fail.
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

EXPECTED = {"operation-fails": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0030_auto_20261124_1030")]
    operations = [
        AddIndexConcurrently("book", models.Index(fields=["note"], name="lint_book_note_idx")),
    ]
