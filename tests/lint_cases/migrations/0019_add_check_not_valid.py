# Good: NOT VALID now, validated in 0020.
from django.contrib.postgres.operations import AddConstraintNotValid
from django.db import migrations, models

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0018_add_check")]
    operations = [
        AddConstraintNotValid(
            "book",
            models.CheckConstraint(
                condition=models.Q(pages__lte=100000), name="lint_book_pages_lte_100000"
            ),
        ),
    ]
