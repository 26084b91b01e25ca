# Bad: this migration cannot be unapplied.
from django.db import migrations

EXPECTED = {"run-sql-without-reverse": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0022_run_python_with_reverse")]
    operations = [migrations.RunSQL('UPDATE "lint_cases_book" SET "title" = trim("title")')]
