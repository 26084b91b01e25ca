"""Recipe 4, part one: a new enum label, in a migration of its own.

PostgreSQL refuses to use a label in the transaction that added it, so the label
is added (and committed) here and used only by a later migration (0009). In a
schema app makemigrations writes `AddEnumValue(...)`; move it into a migration
like this one. (This test app's type is plain SQL, so is its label.)
"""

from django.db import migrations

import americano.db.fields

TYPE = '"backfill_recipes"."RecipeEventType"'


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("backfill_recipes", "0007_difficulty_level_integer"),
    ]

    operations = [
        migrations.RunSQL(
            f"ALTER TYPE {TYPE} ADD VALUE IF NOT EXISTS 'SESSION_PAUSED' AFTER 'SESSION_ENDED'",
            # A label cannot be dropped: rebuild the type without it (fails while a row holds it).
            [
                f'ALTER TYPE {TYPE} RENAME TO "RecipeEventType_retired"',
                f"CREATE TYPE {TYPE} AS ENUM ('SESSION_STARTED', 'SESSION_ENDED')",
                'ALTER TABLE "backfill_recipes"."recipe_events" ALTER COLUMN "eventType"'
                f' TYPE {TYPE} USING "eventType"::text::{TYPE}',
                'DROP TYPE "backfill_recipes"."RecipeEventType_retired"',
            ],
        ),
        migrations.AlterField(
            model_name="recipeevent",
            name="event_type",
            field=americano.db.fields.EnumField(choices=[("SESSION_STARTED", "Session Started"), ("SESSION_ENDED", "Session Ended"), ("SESSION_PAUSED", "Session Paused")], db_column="eventType", enum_type='backfill_recipes"."RecipeEventType'),
        ),
    ]
