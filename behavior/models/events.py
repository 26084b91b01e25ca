from django.db import models

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from behavior.enums import (
    CompletionQuality,
    EngagementLevel,
    EventType,
    LocationType,
    MoodLevel,
)


class BehavioralEvent(CuidModel):
    user_id = models.TextField(db_column="userId")
    event_type = EnumField(EventType, db_column="eventType")
    event_data = models.JSONField(db_column="eventData")
    timestamp = TimestampField(db_default=CurrentTimestamp())
    completion_quality = EnumField(
        CompletionQuality, db_column="completionQuality", null=True, blank=True
    )
    content_type = models.TextField(db_column="contentType", null=True, blank=True)
    day_of_week = models.IntegerField(db_column="dayOfWeek", null=True, blank=True)
    difficulty_level = models.TextField(db_column="difficultyLevel", null=True, blank=True)
    engagement_level = EnumField(
        EngagementLevel, db_column="engagementLevel", null=True, blank=True
    )
    session_performance_score = models.IntegerField(
        db_column="sessionPerformanceScore", null=True, blank=True
    )
    time_of_day = models.IntegerField(db_column="timeOfDay", null=True, blank=True)
    experiment_phase = models.TextField(db_column="experimentPhase", null=True, blank=True)
    randomization_seed = models.IntegerField(db_column="randomizationSeed", null=True, blank=True)
    context_metadata = ForeignKey(
        "ContextMetadata",
        on_delete=models.SET_NULL,
        db_column="contextMetadataId",
        related_name="behavioral_events",
        null=True,
        blank=True,
    )

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "behavioral_events"
        indexes = [
            PrismaIndex(fields=["user_id"], name="behavioral_events_userId_idx"),
            PrismaIndex(fields=["event_type"], name="behavioral_events_eventType_idx"),
            PrismaIndex(fields=["timestamp"], name="behavioral_events_timestamp_idx"),
            PrismaIndex(
                fields=["user_id", "event_type", "timestamp"],
                name="behavioral_events_userId_eventType_timestamp_idx",
            ),
            PrismaIndex(
                fields=["user_id", "day_of_week"],
                name="behavioral_events_userId_dayOfWeek_idx",
            ),
            PrismaIndex(
                fields=["user_id", "time_of_day"],
                name="behavioral_events_userId_timeOfDay_idx",
            ),
            PrismaIndex(
                fields=["experiment_phase"],
                name="behavioral_events_experimentPhase_idx",
            ),
            PrismaIndex(
                fields=["context_metadata"],
                name="behavioral_events_contextMetadataId_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Behavioral event {self.event_type} of {self.user_id}"


class ContextMetadata(CuidModel):
    user_id = models.TextField(db_column="userId")
    timestamp = TimestampField(db_default=CurrentTimestamp())
    mood = EnumField(MoodLevel, null=True, blank=True)
    energy_level = models.IntegerField(db_column="energyLevel", null=True, blank=True)
    location = EnumField(LocationType, null=True, blank=True)
    stress_level = models.IntegerField(db_column="stressLevel", null=True, blank=True)
    notes = models.TextField(null=True, blank=True)
    sleep_hours = models.FloatField(db_column="sleepHours", null=True, blank=True)
    sleep_quality = models.IntegerField(db_column="sleepQuality", null=True, blank=True)
    hrv_score = models.IntegerField(db_column="hrvScore", null=True, blank=True)
    resting_heart_rate = models.IntegerField(db_column="restingHeartRate", null=True, blank=True)
    activity_strain = models.FloatField(db_column="activityStrain", null=True, blank=True)
    recovery_score = models.IntegerField(db_column="recoveryScore", null=True, blank=True)
    data_source = models.TextField(db_column="dataSource", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"notes"})

    class Meta:
        db_table = "context_metadata"
        verbose_name_plural = "context metadata"
        indexes = [
            PrismaIndex(fields=["user_id"], name="context_metadata_userId_idx"),
            PrismaIndex(fields=["timestamp"], name="context_metadata_timestamp_idx"),
            PrismaIndex(
                fields=["user_id", "timestamp"],
                name="context_metadata_userId_timestamp_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Context metadata of {self.user_id}"
