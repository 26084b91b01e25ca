# Bad: the running code still queries lint_cases_bookcase.
from django.db import migrations

EXPECTED = {"drop-table": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0034_waived_index")]
    operations = [migrations.DeleteModel("Bookcase")]
