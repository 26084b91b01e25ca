# Good: new tables, their indexes and foreign keys, an enum type; nothing exists yet.
import americano.db.fields
import americano.db.operations
import django.db.models.deletion
from django.db import migrations, models

EXPECTED = {}


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        americano.db.operations.CreateEnumType(name="LintMood", values=["LOW", "HIGH"]),
        migrations.CreateModel(
            name="Author",
            fields=[
                ("id", models.TextField(primary_key=True, serialize=False)),
                ("name", models.TextField()),
            ],
        ),
        migrations.CreateModel(
            name="Shelf",
            fields=[("id", models.TextField(primary_key=True, serialize=False))],
        ),
        migrations.CreateModel(
            name="Tag",
            fields=[("id", models.TextField(primary_key=True, serialize=False))],
            options={"db_table": "lint_tag"},
        ),
        migrations.CreateModel(
            name="Book",
            fields=[
                ("id", models.TextField(primary_key=True, serialize=False)),
                ("title", models.TextField()),
                ("subtitle", models.TextField(null=True)),
                ("mood", americano.db.fields.EnumField(enum_type="LintMood", null=True)),
                (
                    "author",
                    americano.db.fields.ForeignKey(
                        db_on_delete="CASCADE",
                        db_on_update="CASCADE",
                        on_delete=django.db.models.deletion.CASCADE,
                        to="lint_cases.author",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["author"], name="lint_book_author_idx")],
            },
        ),
    ]
