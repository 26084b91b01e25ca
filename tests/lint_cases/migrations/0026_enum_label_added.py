# Good: the label alone; 0027 uses it.
import americano.db.operations
from django.db import migrations

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0025_enum_label_added_and_used")]
    operations = [americano.db.operations.AddEnumValue("LintMood", "EXTREME", after="HIGH")]
