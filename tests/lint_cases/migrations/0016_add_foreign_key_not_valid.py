# Good: the column first, then the constraint NOT VALID (validated in 0017).
import americano.db.fields
import django.db.models.deletion
from django.db import migrations


def reviewer(**kwargs):
    return americano.db.fields.ForeignKey(
        null=True,
        db_on_delete="SET NULL",
        db_on_update="CASCADE",
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="+",
        to="lint_cases.author",
        **kwargs,
    )


EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_cases", "0015_add_foreign_key")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddField("book", "reviewer", reviewer(db_constraint=False)),
                migrations.RunSQL(
                    'ALTER TABLE "lint_cases_book" ADD CONSTRAINT "lint_cases_book_reviewer_id_fkey"'
                    ' FOREIGN KEY ("reviewer_id") REFERENCES "lint_cases_author" ("id")'
                    " ON DELETE SET NULL ON UPDATE CASCADE NOT VALID",
                    reverse_sql='ALTER TABLE "lint_cases_book"'
                    ' DROP CONSTRAINT "lint_cases_book_reviewer_id_fkey"',
                ),
            ],
            state_operations=[migrations.AddField("book", "reviewer", reviewer())],
        ),
    ]
