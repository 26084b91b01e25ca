"""Recipe 3: TEXT to INTEGER, with the rows that would not convert found first.

`GuardConversion` counts the values that are not integers (a regular expression,
then the range) before anything changes, and stops the migration with a report of
them; an operator who would rather lose those values migrates with
`AMERICANO_ON_INVALID=null`, which sets them to NULL in batches first. Then
`ALTER COLUMN ... TYPE integer USING` converts the rest. That rewrites the table
under an ACCESS EXCLUSIVE lock: on a big table use expand/contract instead
(a new integer column, a backfill, a rename).
"""

from django.db import migrations, models

from americano.db.backfill import GuardConversion, integer_guard

TABLE = '"backfill_recipes"."recipe_events"'
LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'"


class Migration(migrations.Migration):
    # The guard may null rows in batches, each committed on its own.
    atomic = False
    lint_waivers = {
        "changing-column-type": "the in-place conversion, guarded; on a big table convert"
        " expand/contract-style (docs/backfills.md)",
    }


    dependencies = [
        ("backfill_recipes", "0006_contract_content_type"),
    ]

    operations = [
        GuardConversion(
            "recipeevent",
            "difficulty_level",
            integer_guard('"difficultyLevel"'),
            on_invalid="refuse",
        ),
        migrations.RunSQL(
            [LOCK_TIMEOUT, f'ALTER TABLE {TABLE} ALTER COLUMN "difficultyLevel" TYPE integer USING "difficultyLevel"::integer'],
            [LOCK_TIMEOUT, f'ALTER TABLE {TABLE} ALTER COLUMN "difficultyLevel" TYPE text USING "difficultyLevel"::text'],
            state_operations=[
                migrations.AlterField(
                    model_name="recipeevent",
                    name="difficulty_level",
                    field=models.IntegerField(blank=True, db_column="difficultyLevel", null=True),
                ),
            ],
        ),
    ]
