# Good: CONCURRENTLY, outside a transaction.
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

EXPECTED = {}


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("lint_cases", "0013_add_index")]
    operations = [
        AddIndexConcurrently("book", models.Index(fields=["title"], name="lint_book_title_idx")),
    ]
