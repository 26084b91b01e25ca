# Good.
from django.contrib.postgres.operations import ValidateConstraint
from django.db import migrations

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0019_add_check_not_valid")]
    operations = [
        ValidateConstraint("book", "lint_book_pages_lte_100000"),
    ]
