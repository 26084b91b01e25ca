from django.contrib.postgres.fields import ArrayField
from django.db import models

from americano.db.fields import EnumField, ForeignKey, OneToOneField, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from learning.enums import (
    AchievementTier,
    AchievementType,
    AnalyticsPeriod,
    GoalPeriod,
    GoalType,
    MissionStatus,
    PaceRating,
    ReviewPeriod,
)


class Mission(CuidModel):
    user = ForeignKey("User", on_delete=models.CASCADE, db_column="userId", related_name="missions")
    date = TimestampField(db_default=CurrentTimestamp())
    status = EnumField(
        MissionStatus, default=MissionStatus.PENDING, db_default=MissionStatus.PENDING
    )
    estimated_minutes = models.IntegerField(db_column="estimatedMinutes")
    completed_at = TimestampField(db_column="completedAt", null=True, blank=True)
    review_card_count = models.IntegerField(db_column="reviewCardCount", default=0, db_default=0)
    new_content_count = models.IntegerField(db_column="newContentCount", default=0, db_default=0)
    actual_minutes = models.IntegerField(db_column="actualMinutes", null=True, blank=True)
    completed_objectives_count = models.IntegerField(
        db_column="completedObjectivesCount", default=0, db_default=0
    )
    objectives = models.JSONField()
    difficulty_rating = models.IntegerField(db_column="difficultyRating", null=True, blank=True)
    success_score = models.FloatField(db_column="successScore", null=True, blank=True)
    recommended_start_time = TimestampField(db_column="recommendedStartTime", null=True, blank=True)
    actual_start_time = TimestampField(db_column="actualStartTime", null=True, blank=True)
    session_performance_score = models.FloatField(
        db_column="sessionPerformanceScore", null=True, blank=True
    )
    recommended_duration = models.IntegerField(
        db_column="recommendedDuration", null=True, blank=True
    )
    actual_duration = models.IntegerField(db_column="actualDuration", null=True, blank=True)

    class Meta:
        db_table = "missions"
        indexes = [
            PrismaIndex(fields=["user"], name="missions_userId_idx"),
            PrismaIndex(fields=["date"], name="missions_date_idx"),
            PrismaIndex(fields=["status"], name="missions_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Mission {self.status} of {self.user_id}"


class Streak(CuidModel):
    user = OneToOneField(
        "User", on_delete=models.CASCADE, db_column="userId", related_name="streak"
    )
    current_streak = models.IntegerField(db_column="currentStreak", default=0, db_default=0)
    longest_streak = models.IntegerField(db_column="longestStreak", default=0, db_default=0)
    last_study_date = TimestampField(db_column="lastStudyDate", null=True, blank=True)
    freezes_remaining = models.IntegerField(db_column="freezesRemaining", default=2, db_default=2)
    freeze_used_dates = ArrayField(
        models.TextField(), db_column="freezeUsedDates", null=True, blank=True
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    class Meta:
        db_table = "streaks"
        indexes = [
            PrismaIndex(fields=["user"], name="streaks_userId_idx"),
        ]

    def __str__(self) -> str:
        return f"Streak of {self.user_id}"


class Achievement(CuidModel):
    user = ForeignKey(
        "User",
        on_delete=models.CASCADE,
        db_column="userId",
        related_name="achievements",
    )
    type = EnumField(AchievementType)
    name = models.TextField()
    description = models.TextField()
    tier = EnumField(
        AchievementTier,
        default=AchievementTier.BRONZE,
        db_default=AchievementTier.BRONZE,
    )
    earned_at = TimestampField(db_column="earnedAt", db_default=CurrentTimestamp())
    metadata = models.JSONField(null=True, blank=True)

    prose_fields = frozenset({"description"})

    class Meta:
        db_table = "achievements"
        indexes = [
            PrismaIndex(fields=["user"], name="achievements_userId_idx"),
            PrismaIndex(fields=["type"], name="achievements_type_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class StudyGoal(CuidModel):
    user = ForeignKey(
        "User", on_delete=models.CASCADE, db_column="userId", related_name="study_goals"
    )
    goal_type = EnumField(GoalType, db_column="goalType")
    target_value = models.IntegerField(db_column="targetValue")
    current_progress = models.IntegerField(db_column="currentProgress", default=0, db_default=0)
    period = EnumField(GoalPeriod)
    start_date = TimestampField(db_column="startDate")
    end_date = TimestampField(db_column="endDate")
    is_completed = models.BooleanField(db_column="isCompleted", default=False, db_default=False)
    completed_at = TimestampField(db_column="completedAt", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    class Meta:
        db_table = "study_goals"
        indexes = [
            PrismaIndex(fields=["user"], name="study_goals_userId_idx"),
            PrismaIndex(fields=["period", "start_date"], name="study_goals_period_startDate_idx"),
        ]

    def __str__(self) -> str:
        return f"Study goal {self.goal_type} of {self.user_id}"


class MissionAnalytics(CuidModel):
    user_id = models.TextField(db_column="userId")
    date = TimestampField(db_default=CurrentTimestamp())
    period = EnumField(AnalyticsPeriod)
    missions_generated = models.IntegerField(db_column="missionsGenerated")
    missions_completed = models.IntegerField(db_column="missionsCompleted")
    missions_skipped = models.IntegerField(db_column="missionsSkipped")
    avg_completion_rate = models.FloatField(db_column="avgCompletionRate")
    avg_time_accuracy = models.FloatField(db_column="avgTimeAccuracy")
    avg_difficulty_rating = models.FloatField(db_column="avgDifficultyRating")
    avg_success_score = models.FloatField(db_column="avgSuccessScore")
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "mission_analytics"
        verbose_name_plural = "mission analytics"
        indexes = [
            PrismaIndex(fields=["user_id", "date"], name="mission_analytics_userId_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "date", "period"],
                name="mission_analytics_userId_date_period_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Mission analytics {self.period} of {self.user_id}"


class MissionFeedback(CuidModel):
    user_id = models.TextField(db_column="userId")
    mission = ForeignKey(
        "Mission",
        on_delete=models.CASCADE,
        db_column="missionId",
        related_name="mission_feedback",
    )
    helpfulness_rating = models.IntegerField(db_column="helpfulnessRating")
    relevance_score = models.IntegerField(db_column="relevanceScore")
    pace_rating = EnumField(PaceRating, db_column="paceRating")
    improvement_suggestions = models.TextField(
        db_column="improvementSuggestions", null=True, blank=True
    )
    submitted_at = TimestampField(db_column="submittedAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"improvement_suggestions"})

    class Meta:
        db_table = "mission_feedback"
        verbose_name_plural = "mission feedback"
        indexes = [
            PrismaIndex(fields=["user_id"], name="mission_feedback_userId_idx"),
            PrismaIndex(fields=["mission"], name="mission_feedback_missionId_idx"),
        ]

    def __str__(self) -> str:
        return f"Mission feedback {self.pace_rating} of {self.mission_id}"


class MissionStreak(CuidModel):
    user = OneToOneField(
        "User",
        on_delete=models.CASCADE,
        db_column="userId",
        related_name="mission_streak",
    )
    current_streak = models.IntegerField(db_column="currentStreak", default=0, db_default=0)
    longest_streak = models.IntegerField(db_column="longestStreak", default=0, db_default=0)
    last_completed_date = TimestampField(db_column="lastCompletedDate", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    class Meta:
        db_table = "mission_streaks"
        indexes = [
            PrismaIndex(fields=["user"], name="mission_streaks_userId_idx"),
        ]

    def __str__(self) -> str:
        return f"Mission streak of {self.user_id}"


class MissionReview(CuidModel):
    user = ForeignKey(
        "User",
        on_delete=models.CASCADE,
        db_column="userId",
        related_name="mission_reviews",
    )
    period = EnumField(ReviewPeriod)
    start_date = TimestampField(db_column="startDate")
    end_date = TimestampField(db_column="endDate")
    summary = models.JSONField()
    highlights = models.JSONField()
    insights = models.JSONField()
    recommendations = models.JSONField()
    generated_at = TimestampField(db_column="generatedAt", db_default=CurrentTimestamp())

    class Meta:
        db_table = "mission_reviews"
        indexes = [
            PrismaIndex(
                fields=["user", "generated_at"],
                name="mission_reviews_userId_generatedAt_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "start_date"],
                name="mission_reviews_userId_period_startDate_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Mission review {self.period} of {self.user_id}"
