"""The recipes' starting point: the table as it was before any recipe ran."""

from django.db import migrations, models

import americano.db.fields
import americano.db.functions
import americano.db.indexes

SCHEMA = "backfill_recipes"


class Migration(migrations.Migration):
    initial = True

    # After the schema apps, so that `migrate learning zero` takes this app along,
    # as it does every table of the schema.
    dependencies = [
        ("behavior", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(f'CREATE SCHEMA "{SCHEMA}"', f'DROP SCHEMA "{SCHEMA}"'),
        # Plain SQL, not CreateEnumType: see the app's models module.
        migrations.RunSQL(
            f"CREATE TYPE \"{SCHEMA}\".\"RecipeEventType\" AS ENUM ('SESSION_STARTED', 'SESSION_ENDED')",
            f'DROP TYPE "{SCHEMA}"."RecipeEventType"',
        ),
        migrations.CreateModel(
            name="RecipeEvent",
            fields=[
                ("id", models.TextField(default=americano.db.fields.new_cuid, editable=False, primary_key=True, serialize=False)),
                ("user_id", models.TextField(db_column="userId")),
                ("event_type", americano.db.fields.EnumField(choices=[("SESSION_STARTED", "Session Started"), ("SESSION_ENDED", "Session Ended")], db_column="eventType", enum_type='backfill_recipes"."RecipeEventType')),
                ("event_data", models.JSONField(db_column="eventData")),
                ("timestamp", americano.db.fields.TimestampField(db_default=americano.db.functions.CurrentTimestamp())),
                ("session_score", models.IntegerField(blank=True, db_column="sessionScore", null=True)),
                ("content_type", models.TextField(blank=True, db_column="contentType", null=True)),
                ("difficulty_level", models.TextField(blank=True, db_column="difficultyLevel", null=True)),
            ],
            options={
                "db_table": 'backfill_recipes"."recipe_events',
                "indexes": [
                    americano.db.indexes.PrismaIndex(fields=["user_id"], name="recipe_events_userId_idx"),
                    americano.db.indexes.PrismaIndex(fields=["timestamp"], name="recipe_events_timestamp_idx"),
                    americano.db.indexes.PrismaIndex(fields=["user_id", "event_type", "timestamp"], name="recipe_events_userId_eventType_timestamp_idx"),
                ],
            },
        ),
    ]
