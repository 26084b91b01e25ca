# Bad, but waived with a reason: reported as waived, does not fail the lint.
from django.db import migrations, models

EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0033_raw_unique_constraint")]
    lint_waivers = {
        "index-not-concurrent": "lint_cases_book holds a few rows; the lock lasts milliseconds",
        "rename-table": "",
    }
    operations = [
        migrations.AddIndex("book", models.Index(fields=["isbn"], name="lint_book_isbn_idx")),
    ]
