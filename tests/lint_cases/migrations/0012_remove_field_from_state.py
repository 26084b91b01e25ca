# Good: first deploy of a removal: the model forgets the field, the column stays.
from django.db import migrations

EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0011_drop_column")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField("book", "edition")],
        ),
    ]
