# Bad: the check scans the table under ACCESS EXCLUSIVE.
from django.db import migrations, models

EXPECTED = {"constraint-not-valid": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0017_validate_foreign_key")]
    operations = [
        migrations.AddConstraint(
            "book",
            models.CheckConstraint(condition=models.Q(pages__gte=0), name="lint_book_pages_gte_0"),
        ),
    ]
