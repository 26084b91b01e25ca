# Good: first deploy of a removal: the model goes, its table stays for the old code.
from django.db import migrations

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0035_drop_table")]
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("Label")]),
    ]
