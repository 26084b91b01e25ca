"""The recipes' table: a text-cuid-keyed event table, like ``behavioral_events``.

Everything this app creates lives in its own PostgreSQL schema, ``backfill_recipes``,
so that the test database's ``public`` schema stays exactly the contract's (the
parity checker reads ``public`` only). The enum type is plain SQL in the migrations
and the field names it with ``enum_type``, rather than a ``DatabaseEnum``, so that
the project's enum registry (the schema's types) does not count it.
"""

from django.db import models

from americano.db.fields import EnumField, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel

SCHEMA = "backfill_recipes"


def in_schema(name: str) -> str:
    """``name`` inside the app's schema, in the form Django quotes as ``"schema"."name"``."""
    return f'{SCHEMA}"."{name}'


class RecipeEventType(models.TextChoices):
    SESSION_STARTED = "SESSION_STARTED"
    SESSION_ENDED = "SESSION_ENDED"
    SESSION_PAUSED = "SESSION_PAUSED"  # recipe 4: a label added in a migration of its own


class RecipeEvent(CuidModel):
    """Each recipe changes one column; the comments say which and from what."""

    user_id = models.TextField(db_column="userId")
    event_type = EnumField(
        enum_type=in_schema("RecipeEventType"),
        choices=RecipeEventType.choices,
        db_column="eventType",
    )
    event_data = models.JSONField(db_column="eventData")
    timestamp = TimestampField(db_default=CurrentTimestamp())
    # Recipe 2, one step: was session_score / "sessionScore".
    performance_score = models.IntegerField(db_column="performanceScore", null=True, blank=True)
    # Recipe 3: was text; converted with a guard for the values that are not numbers.
    difficulty_level = models.IntegerField(db_column="difficultyLevel", null=True, blank=True)
    # Recipe 1: a required column added to a big table.
    day_of_week = models.IntegerField(db_column="dayOfWeek")
    # Recipe 2, expand/contract: was content_type / "contentType".
    content_kind = models.TextField(db_column="contentKind", null=True, blank=True)

    class Meta:
        db_table = in_schema("recipe_events")
        indexes = [
            PrismaIndex(fields=["user_id"], name="recipe_events_userId_idx"),
            PrismaIndex(fields=["timestamp"], name="recipe_events_timestamp_idx"),
            PrismaIndex(
                fields=["user_id", "event_type", "timestamp"],
                name="recipe_events_userId_eventType_timestamp_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Recipe event {self.event_type} of {self.user_id}"
