# Good.
from django.db import migrations

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0023_run_sql_without_reverse")]
    operations = [
        migrations.RunSQL(
            'UPDATE "lint_cases_book" SET "title" = trim("title")',
            reverse_sql=migrations.RunSQL.noop,
        )
    ]
