# Bad (squawk): SET NOT NULL scans the table under ACCESS EXCLUSIVE.
from django.db import migrations, models

EXPECTED = {"adding-not-nullable-field": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0031_index_concurrently_in_transaction")]
    operations = [migrations.AlterField("book", "isbn", models.TextField())]
