# Good: validating takes SHARE UPDATE EXCLUSIVE, which lets reads and writes through.
from django.db import migrations

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0016_add_foreign_key_not_valid")]
    operations = [
        migrations.RunSQL(
            'ALTER TABLE "lint_cases_book" VALIDATE CONSTRAINT "lint_cases_book_reviewer_id_fkey"',
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
