# Bad: PostgreSQL refuses a label in the transaction that adds it.
import americano.db.fields
import americano.db.operations
from django.db import migrations

EXPECTED = {"enum-label-added-and-used": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0024_run_sql_with_reverse")]
    operations = [
        americano.db.operations.AddEnumValue("LintMood", "MEDIUM", after="LOW"),
        migrations.AlterField(
            "book",
            "mood",
            americano.db.fields.EnumField(enum_type="LintMood", null=True, db_default="MEDIUM"),
        ),
    ]
