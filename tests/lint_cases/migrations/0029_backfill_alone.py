# Good: the backfill in its own non-atomic migration.
from django.db import migrations


def fill_slugs(apps, schema_editor):
    Book = apps.get_model("lint_cases", "Book")
    Book.objects.using(schema_editor.connection.alias).filter(slug=None).update(slug="")


EXPECTED = {}


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("lint_cases", "0028_backfill_in_schema_migration")]
    operations = [migrations.RunPython(fill_slugs, migrations.RunPython.noop)]
