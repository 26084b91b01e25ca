"""Recipe 1, part two: the backfilled column becomes NOT NULL without a long lock.

`SET NOT NULL` alone scans the whole table under an ACCESS EXCLUSIVE lock. Instead:
a CHECK constraint added NOT VALID (a brief lock, no scan), validated under a
SHARE UPDATE EXCLUSIVE lock (reads and writes go on), after which `SET NOT NULL`
sees the constraint and skips its scan; the CHECK is then redundant. Each step is
its own short transaction with a lock_timeout, so that it gives up rather than
queue behind a long transaction with every other query queued behind it.
"""

from django.db import migrations, models

from americano.db.backfill import FinishBackfill

TABLE = '"backfill_recipes"."recipe_events"'
CHECK = '"recipe_events_dayOfWeek_not_null"'
LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'"


class Migration(migrations.Migration):
    # Each step commits before the next takes its lock.
    atomic = False
    lint_waivers = {
        "ban-drop-constraint": "the CHECK only proved NOT NULL, which the column now enforces",
    }


    dependencies = [
        ("backfill_recipes", "0002_add_day_of_week"),
    ]

    operations = [
        # Resumes and finishes the backfill here if `manage.py backfill` has not.
        FinishBackfill("recipes.day_of_week"),
        migrations.RunSQL(
            [LOCK_TIMEOUT, f'ALTER TABLE {TABLE} ADD CONSTRAINT {CHECK} CHECK ("dayOfWeek" IS NOT NULL) NOT VALID'],
            [LOCK_TIMEOUT, f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {CHECK}"],
        ),
        migrations.RunSQL(
            [LOCK_TIMEOUT, f"ALTER TABLE {TABLE} VALIDATE CONSTRAINT {CHECK}"],
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            [LOCK_TIMEOUT, f'ALTER TABLE {TABLE} ALTER COLUMN "dayOfWeek" SET NOT NULL'],
            [LOCK_TIMEOUT, f'ALTER TABLE {TABLE} ALTER COLUMN "dayOfWeek" DROP NOT NULL'],
            state_operations=[
                migrations.AlterField(
                    model_name="recipeevent",
                    name="day_of_week",
                    field=models.IntegerField(db_column="dayOfWeek"),
                ),
            ],
        ),
        migrations.RunSQL(
            [LOCK_TIMEOUT, f"ALTER TABLE {TABLE} DROP CONSTRAINT {CHECK}"],
            [LOCK_TIMEOUT, f'ALTER TABLE {TABLE} ADD CONSTRAINT {CHECK} CHECK ("dayOfWeek" IS NOT NULL) NOT VALID'],
        ),
    ]
