# Good: the label was committed by 0026.
import americano.db.fields
from django.db import migrations

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0026_enum_label_added")]
    operations = [
        migrations.AlterField(
            "book",
            "mood",
            americano.db.fields.EnumField(enum_type="LintMood", null=True, db_default="EXTREME"),
        ),
    ]
