# Bad (squawk): a UNIQUE constraint builds its index under ACCESS EXCLUSIVE.
from django.db import migrations

EXPECTED = {"constraint-missing-not-valid": "blocking", "disallowed-unique-constraint": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0032_set_not_null")]
    operations = [
        migrations.RunSQL(
            'ALTER TABLE "lint_cases_book" ADD CONSTRAINT "lint_book_isbn_uniq" UNIQUE ("isbn")',
            reverse_sql='ALTER TABLE "lint_cases_book" DROP CONSTRAINT "lint_book_isbn_uniq"',
        )
    ]
