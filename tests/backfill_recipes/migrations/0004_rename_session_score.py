"""Recipe 2, one step: rename a column and keep its data.

`RenameField` renames the Python attribute; the changed `db_column` makes the
`AlterField` a `RENAME COLUMN`: no rewrite, no scan, a brief ACCESS EXCLUSIVE lock.
makemigrations cannot tell this from a removed and an added field (which would
lose the data), so it is written by hand. Code that still reads the old name
breaks at once: during a rolling deploy use the expand/contract way (0005, 0006).
"""

from django.db import migrations, models

LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'"


class Migration(migrations.Migration):
    lint_waivers = {
        "rename-column": "the one-step way, for when every reader changes at once; 0005/0006"
        " are the rolling-deploy way",
    }
    dependencies = [
        ("backfill_recipes", "0003_require_day_of_week"),
    ]

    operations = [
        # Give up rather than queue behind a long transaction (forwards, then backwards).
        migrations.RunSQL(LOCK_TIMEOUT, migrations.RunSQL.noop),
        migrations.RenameField(
            model_name="recipeevent",
            old_name="session_score",
            new_name="performance_score",
        ),
        migrations.AlterField(
            model_name="recipeevent",
            name="performance_score",
            field=models.IntegerField(blank=True, db_column="performanceScore", null=True),
        ),
        migrations.RunSQL(migrations.RunSQL.noop, LOCK_TIMEOUT),
    ]
