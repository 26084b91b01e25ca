# Bad: the new column's lock is held while every row is rewritten.
from django.db import migrations, models


def fill_slugs(apps, schema_editor):
    Book = apps.get_model("lint_cases", "Book")
    for book in Book.objects.using(schema_editor.connection.alias).iterator():
        book.slug = book.title.lower()
        book.save(update_fields=["slug"])


EXPECTED = {"backfill-in-schema-migration": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0027_enum_label_used")]
    operations = [
        migrations.AddField("book", "slug", models.TextField(null=True)),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
    ]
