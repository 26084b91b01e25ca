from django.contrib.postgres.fields import ArrayField
from django.db import models

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from behavior.enums import BehavioralPatternType, InsightType, PatternType


class BehavioralPattern(CuidModel):
    user_id = models.TextField(db_column="userId")
    pattern_type = EnumField(BehavioralPatternType, db_column="patternType")
    pattern_data = models.JSONField(db_column="patternData")
    confidence = models.FloatField()
    first_detected_at = TimestampField(db_column="firstDetectedAt", db_default=CurrentTimestamp())
    last_seen_at = TimestampField(db_column="lastSeenAt", db_default=CurrentTimestamp())
    pattern_name = models.TextField(db_column="patternName", null=True, blank=True)
    evidence = ArrayField(models.TextField(), null=True, blank=True)
    occurrence_count = models.IntegerField(db_column="occurrenceCount", default=0, db_default=0)
    detected_at = TimestampField(db_column="detectedAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "behavioral_patterns"
        indexes = [
            PrismaIndex(fields=["user_id"], name="behavioral_patterns_userId_idx"),
            PrismaIndex(fields=["pattern_type"], name="behavioral_patterns_patternType_idx"),
            PrismaIndex(fields=["confidence"], name="behavioral_patterns_confidence_idx"),
            PrismaIndex(
                fields=["occurrence_count"],
                name="behavioral_patterns_occurrenceCount_idx",
            ),
            PrismaIndex(fields=["detected_at"], name="behavioral_patterns_detectedAt_idx"),
            PrismaIndex(
                fields=["user_id", "pattern_type", "confidence"],
                name="behavioral_patterns_userId_patternType_confidence_idx",
            ),
            PrismaIndex(
                fields=["user_id", "last_seen_at"],
                name="behavioral_patterns_userId_lastSeenAt_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.pattern_name or f"Behavioral pattern {self.pk}"


class BehavioralInsight(CuidModel):
    user_id = models.TextField(db_column="userId")
    insight_type = EnumField(InsightType, db_column="insightType")
    title = models.TextField()
    description = models.TextField()
    actionable_recommendation = models.TextField(db_column="actionableRecommendation")
    confidence = models.FloatField()
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    acknowledged_at = TimestampField(db_column="acknowledgedAt", null=True, blank=True)
    applied = models.BooleanField(default=False, db_default=False)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"description", "actionable_recommendation"})

    class Meta:
        db_table = "behavioral_insights"
        indexes = [
            PrismaIndex(fields=["user_id"], name="behavioral_insights_userId_idx"),
            PrismaIndex(fields=["created_at"], name="behavioral_insights_createdAt_idx"),
            PrismaIndex(
                fields=["acknowledged_at"],
                name="behavioral_insights_acknowledgedAt_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InsightPattern(CuidModel):
    insight = ForeignKey(
        "BehavioralInsight",
        on_delete=models.CASCADE,
        db_column="insightId",
        related_name="insight_patterns",
    )
    pattern = ForeignKey(
        "BehavioralPattern",
        on_delete=models.CASCADE,
        db_column="patternId",
        related_name="insight_patterns",
    )

    class Meta:
        db_table = "insight_patterns"
        indexes = [
            PrismaIndex(fields=["insight"], name="insight_patterns_insightId_idx"),
            PrismaIndex(fields=["pattern"], name="insight_patterns_patternId_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["insight", "pattern"],
                name="insight_patterns_insightId_patternId_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Insight pattern of {self.insight_id}"


class UserLearningProfile(CuidModel):
    user_id = models.TextField(db_column="userId", unique=True)
    preferred_study_times = models.JSONField(db_column="preferredStudyTimes")
    average_session_duration = models.IntegerField(db_column="averageSessionDuration")
    optimal_session_duration = models.IntegerField(db_column="optimalSessionDuration")
    content_preferences = models.JSONField(db_column="contentPreferences")
    learning_style_profile = models.JSONField(db_column="learningStyleProfile")
    personalized_forgetting_curve = models.JSONField(db_column="personalizedForgettingCurve")
    last_analyzed_at = TimestampField(db_column="lastAnalyzedAt", db_default=CurrentTimestamp())
    data_quality_score = models.FloatField(
        db_column="dataQualityScore", default=0.0, db_default=0.0
    )

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "user_learning_profiles"
        indexes = [
            PrismaIndex(fields=["user_id"], name="user_learning_profiles_userId_idx"),
        ]

    def __str__(self) -> str:
        return f"User learning profile of {self.user_id}"


class LearningPattern(CuidModel):
    user_id = models.TextField(db_column="userId")
    pattern_type = EnumField(PatternType, db_column="patternType")
    pattern_data = models.JSONField(db_column="patternData")
    confidence = models.FloatField()
    detected_at = TimestampField(db_column="detectedAt", db_default=CurrentTimestamp())
    last_seen_at = TimestampField(db_column="lastSeenAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "learning_patterns"
        indexes = [
            PrismaIndex(fields=["user_id"], name="learning_patterns_userId_idx"),
            PrismaIndex(fields=["pattern_type"], name="learning_patterns_patternType_idx"),
        ]

    def __str__(self) -> str:
        return f"Learning pattern {self.pattern_type} of {self.user_id}"


class PerformancePrediction(CuidModel):
    user_id = models.TextField(db_column="userId")
    predicted_for = TimestampField(db_column="predictedFor")
    prediction_type = models.TextField(db_column="predictionType")
    prediction = models.JSONField()
    confidence = models.FloatField()
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "performance_predictions"
        indexes = [
            PrismaIndex(fields=["user_id"], name="performance_predictions_userId_idx"),
            PrismaIndex(
                fields=["predicted_for"],
                name="performance_predictions_predictedFor_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Performance prediction of {self.user_id}"


class StressResponsePattern(CuidModel):
    user_id = models.TextField(db_column="userId")
    pattern_data = models.JSONField(db_column="patternData")
    confidence = models.FloatField()
    detected_at = TimestampField(db_column="detectedAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "stress_response_patterns"
        indexes = [
            PrismaIndex(fields=["user_id"], name="stress_response_patterns_userId_idx"),
        ]

    def __str__(self) -> str:
        return f"Stress response pattern of {self.user_id}"
