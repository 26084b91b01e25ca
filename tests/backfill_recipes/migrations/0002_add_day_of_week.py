"""Recipe 1, part one: a required column for a big table, added nullable and backfilled.

Adding a nullable column without a volatile default is instant. The values are
written by a deferred backfill: `migrate` only registers it, and the operator runs
`manage.py backfill recipes.day_of_week` after the deploy, when the code that
writes the column for new rows is live. Part two (0003) finishes it and makes
the column NOT NULL.
"""

from django.db import migrations, models
from django.db.models import Q

from americano.db.backfill import CHECKPOINT_MIGRATION, RunBackfill


class Migration(migrations.Migration):
    # Each batch of the backfill commits on its own.
    atomic = False

    dependencies = [
        ("backfill_recipes", "0001_initial"),
        CHECKPOINT_MIGRATION,
    ]

    operations = [
        migrations.AddField(
            model_name="recipeevent",
            name="day_of_week",
            field=models.IntegerField(db_column="dayOfWeek", null=True),
        ),
        RunBackfill(
            name="recipes.day_of_week",
            model_name="recipeevent",
            pending=Q(day_of_week__isnull=True),
            # An SQL SET clause; the walk adds the batch's key range and `pending`.
            update='"dayOfWeek" = extract(isodow from "timestamp")::integer',
            # The column goes away when this is reversed: no data to change back.
            reverse=RunBackfill.noop,
            deferred=True,
        ),
    ]
