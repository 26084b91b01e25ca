# Bad: the new foreign key is validated at once, locking both tables.
import americano.db.fields
import django.db.models.deletion
from django.db import migrations

EXPECTED = {"constraint-not-valid": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0014_add_index_concurrently")]
    operations = [
        migrations.AddField(
            "book",
            "editor",
            americano.db.fields.ForeignKey(
                null=True,
                db_on_delete="SET NULL",
                db_on_update="CASCADE",
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="lint_cases.author",
            ),
        ),
    ]
