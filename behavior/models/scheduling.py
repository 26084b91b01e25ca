from django.db import models

from americano.db.fields import EnumField, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from behavior.enums import AdaptationType


class StudyScheduleRecommendation(CuidModel):
    user_id = models.TextField(db_column="userId")
    recommended_schedule = models.JSONField(db_column="recommendedSchedule")
    reasoning = models.TextField()
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    applied_at = TimestampField(db_column="appliedAt", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"reasoning"})

    class Meta:
        db_table = "study_schedule_recommendations"
        indexes = [
            PrismaIndex(fields=["user_id"], name="study_schedule_recommendations_userId_idx"),
            PrismaIndex(
                fields=["applied_at"],
                name="study_schedule_recommendations_appliedAt_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Study schedule recommendation of {self.user_id}"


class ScheduleAdaptation(CuidModel):
    user_id = models.TextField(db_column="userId")
    adaptation_type = EnumField(AdaptationType, db_column="adaptationType")
    adaptation_details = models.JSONField(db_column="adaptationDetails")
    applied_at = TimestampField(db_column="appliedAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "schedule_adaptations"
        indexes = [
            PrismaIndex(fields=["user_id"], name="schedule_adaptations_userId_idx"),
        ]

    def __str__(self) -> str:
        return f"Schedule adaptation {self.adaptation_type} of {self.user_id}"


class CalendarIntegration(CuidModel):
    user_id = models.TextField(db_column="userId", unique=True)
    calendar_provider = models.TextField(db_column="calendarProvider")
    access_token = models.TextField(db_column="accessToken")
    refresh_token = models.TextField(db_column="refreshToken", null=True, blank=True)
    expires_at = TimestampField(db_column="expiresAt", null=True, blank=True)
    last_sync_at = TimestampField(db_column="lastSyncAt", null=True, blank=True)
    sync_enabled = models.BooleanField(db_column="syncEnabled", default=True, db_default=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "calendar_integrations"
        indexes = [
            PrismaIndex(fields=["user_id"], name="calendar_integrations_userId_idx"),
        ]

    def __str__(self) -> str:
        return f"Calendar integration of {self.user_id}"


class SessionOrchestrationPlan(CuidModel):
    user_id = models.TextField(db_column="userId")
    mission_id = models.TextField(db_column="missionId", null=True, blank=True)
    plan_data = models.JSONField(db_column="planData")
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    applied_at = TimestampField(db_column="appliedAt", null=True, blank=True)

    soft_references = {"user_id": "learning.User", "mission_id": "learning.Mission"}

    class Meta:
        db_table = "session_orchestration_plans"
        indexes = [
            PrismaIndex(fields=["user_id"], name="session_orchestration_plans_userId_idx"),
            PrismaIndex(fields=["mission_id"], name="session_orchestration_plans_missionId_idx"),
        ]

    def __str__(self) -> str:
        return f"Session orchestration plan of {self.user_id}"
