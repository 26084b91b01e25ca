from django.contrib.postgres.fields import ArrayField
from django.db import models

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from behavior.enums import (
    ExperimentStatus,
    ExperimentType,
    OutcomeType,
    PersonalizationContext,
    PersonalizationLevel,
)


class PersonalizationPreferences(CuidModel):
    user_id = models.TextField(db_column="userId", unique=True)
    personalization_level = EnumField(
        PersonalizationLevel,
        db_column="personalizationLevel",
        default=PersonalizationLevel.MEDIUM,
        db_default=PersonalizationLevel.MEDIUM,
    )
    auto_adapt_enabled = models.BooleanField(
        db_column="autoAdaptEnabled", default=True, db_default=True
    )
    mission_personalization_enabled = models.BooleanField(
        db_column="missionPersonalizationEnabled", default=True, db_default=True
    )
    content_personalization_enabled = models.BooleanField(
        db_column="contentPersonalizationEnabled", default=True, db_default=True
    )
    assessment_personalization_enabled = models.BooleanField(
        db_column="assessmentPersonalizationEnabled", default=True, db_default=True
    )
    session_personalization_enabled = models.BooleanField(
        db_column="sessionPersonalizationEnabled", default=True, db_default=True
    )
    disabled_features = ArrayField(
        models.TextField(), db_column="disabledFeatures", null=True, blank=True
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)
    last_reset_at = TimestampField(db_column="lastResetAt", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "personalization_preferences"
        verbose_name_plural = "personalization preferences"
        indexes = [
            PrismaIndex(fields=["user_id"], name="personalization_preferences_userId_idx"),
        ]

    def __str__(self) -> str:
        return f"Personalization preferences {self.personalization_level} of {self.user_id}"


class PersonalizationConfig(CuidModel):
    user_id = models.TextField(db_column="userId")
    preferences = ForeignKey(
        "PersonalizationPreferences",
        on_delete=models.CASCADE,
        db_column="preferencesId",
        related_name="personalization_configs",
    )
    context = EnumField(PersonalizationContext)
    strategy_variant = models.TextField(db_column="strategyVariant")
    mission_personalization = models.JSONField(
        db_column="missionPersonalization", null=True, blank=True
    )
    content_personalization = models.JSONField(
        db_column="contentPersonalization", null=True, blank=True
    )
    assessment_personalization = models.JSONField(
        db_column="assessmentPersonalization", null=True, blank=True
    )
    session_personalization = models.JSONField(
        db_column="sessionPersonalization", null=True, blank=True
    )
    effectiveness_score = models.FloatField(db_column="effectivenessScore", null=True, blank=True)
    confidence_score = models.FloatField(db_column="confidenceScore", default=0.7, db_default=0.7)
    times_selected = models.IntegerField(db_column="timesSelected", default=0, db_default=0)
    total_reward = models.FloatField(db_column="totalReward", default=0.0, db_default=0.0)
    avg_reward = models.FloatField(db_column="avgReward", default=0.0, db_default=0.0)
    is_active = models.BooleanField(db_column="isActive", default=True, db_default=True)
    activated_at = TimestampField(db_column="activatedAt", db_default=CurrentTimestamp())
    deactivated_at = TimestampField(db_column="deactivatedAt", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "personalization_configs"
        indexes = [
            PrismaIndex(fields=["user_id"], name="personalization_configs_userId_idx"),
            PrismaIndex(fields=["context"], name="personalization_configs_context_idx"),
            PrismaIndex(
                fields=["strategy_variant"],
                name="personalization_configs_strategyVariant_idx",
            ),
            PrismaIndex(fields=["is_active"], name="personalization_configs_isActive_idx"),
            PrismaIndex(
                fields=["user_id", "context", "is_active"],
                name="personalization_configs_userId_context_isActive_idx",
            ),
            PrismaIndex(
                fields=["user_id", "avg_reward"],
                name="personalization_configs_userId_avgReward_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Personalization config {self.context} of {self.preferences_id}"


class PersonalizationEffectiveness(CuidModel):
    config = ForeignKey(
        "PersonalizationConfig",
        on_delete=models.CASCADE,
        db_column="configId",
        related_name="personalization_effectivenesses",
    )
    user_id = models.TextField(db_column="userId")
    start_date = TimestampField(db_column="startDate")
    end_date = TimestampField(db_column="endDate")
    retention_improvement = models.FloatField(
        db_column="retentionImprovement", null=True, blank=True
    )
    performance_improvement = models.FloatField(
        db_column="performanceImprovement", null=True, blank=True
    )
    completion_rate_change = models.FloatField(
        db_column="completionRateChange", null=True, blank=True
    )
    engagement_change = models.FloatField(db_column="engagementChange", null=True, blank=True)
    sample_size = models.IntegerField(db_column="sampleSize")
    correlation = models.FloatField(null=True, blank=True)
    p_value = models.FloatField(db_column="pValue", null=True, blank=True)
    confidence_interval = models.JSONField(db_column="confidenceInterval", null=True, blank=True)
    composite_score = models.FloatField(db_column="compositeScore")
    is_statistically_significant = models.BooleanField(
        db_column="isStatisticallySignificant", default=False, db_default=False
    )
    calculated_at = TimestampField(db_column="calculatedAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "personalization_effectiveness"
        verbose_name_plural = "personalization effectiveness"
        indexes = [
            PrismaIndex(fields=["user_id"], name="personalization_effectiveness_userId_idx"),
            PrismaIndex(fields=["config"], name="personalization_effectiveness_configId_idx"),
            PrismaIndex(
                fields=["start_date", "end_date"],
                name="personalization_effectiveness_startDate_endDate_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Personalization effectiveness of {self.config_id}"


class PersonalizationExperiment(CuidModel):
    user_id = models.TextField(db_column="userId")
    preferences = ForeignKey(
        "PersonalizationPreferences",
        on_delete=models.CASCADE,
        db_column="preferencesId",
        related_name="personalization_experiments",
    )
    experiment_name = models.TextField(db_column="experimentName")
    experiment_type = EnumField(
        ExperimentType,
        db_column="experimentType",
        default=ExperimentType.AB_TEST,
        db_default=ExperimentType.AB_TEST,
    )
    context = EnumField(PersonalizationContext)
    variants = models.JSONField()
    assigned_variant = models.TextField(db_column="assignedVariant", null=True, blank=True)
    status = EnumField(
        ExperimentStatus,
        default=ExperimentStatus.ACTIVE,
        db_default=ExperimentStatus.ACTIVE,
    )
    start_date = TimestampField(db_column="startDate", db_default=CurrentTimestamp())
    end_date = TimestampField(db_column="endDate")
    min_participants = models.IntegerField(db_column="minParticipants", default=20, db_default=20)
    min_duration = models.IntegerField(db_column="minDuration", default=14, db_default=14)
    current_participants = models.IntegerField(
        db_column="currentParticipants", default=0, db_default=0
    )
    variant_metrics = models.JSONField(db_column="variantMetrics", null=True, blank=True)
    winning_variant = models.TextField(db_column="winningVariant", null=True, blank=True)
    statistical_significance = models.FloatField(
        db_column="statisticalSignificance", null=True, blank=True
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    completed_at = TimestampField(db_column="completedAt", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "personalization_experiments"
        indexes = [
            PrismaIndex(fields=["user_id"], name="personalization_experiments_userId_idx"),
            PrismaIndex(fields=["status"], name="personalization_experiments_status_idx"),
            PrismaIndex(fields=["context"], name="personalization_experiments_context_idx"),
            PrismaIndex(
                fields=["start_date", "end_date"],
                name="personalization_experiments_startDate_endDate_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Personalization experiment {self.experiment_type} of {self.preferences_id}"


class PersonalizationOutcome(CuidModel):
    user_id = models.TextField(db_column="userId")
    config_id = models.TextField(db_column="configId", null=True, blank=True)
    outcome_type = EnumField(OutcomeType, db_column="outcomeType")
    context = EnumField(PersonalizationContext)
    timestamp = TimestampField(db_default=CurrentTimestamp())
    retention_score = models.FloatField(db_column="retentionScore", null=True, blank=True)
    performance_score = models.FloatField(db_column="performanceScore", null=True, blank=True)
    completion_rate = models.FloatField(db_column="completionRate", null=True, blank=True)
    engagement_score = models.FloatField(db_column="engagementScore", null=True, blank=True)
    session_duration = models.IntegerField(db_column="sessionDuration", null=True, blank=True)
    content_type = models.TextField(db_column="contentType", null=True, blank=True)
    difficulty_level = models.TextField(db_column="difficultyLevel", null=True, blank=True)
    personalization_applied = models.BooleanField(
        db_column="personalizationApplied", default=False, db_default=False
    )
    strategy_variant = models.TextField(db_column="strategyVariant", null=True, blank=True)

    soft_references = {"user_id": "learning.User", "config_id": "behavior.PersonalizationConfig"}

    class Meta:
        db_table = "personalization_outcomes"
        indexes = [
            PrismaIndex(fields=["user_id"], name="personalization_outcomes_userId_idx"),
            PrismaIndex(fields=["outcome_type"], name="personalization_outcomes_outcomeType_idx"),
            PrismaIndex(fields=["timestamp"], name="personalization_outcomes_timestamp_idx"),
            PrismaIndex(fields=["config_id"], name="personalization_outcomes_configId_idx"),
        ]

    def __str__(self) -> str:
        return f"Personalization outcome {self.outcome_type} of {self.user_id}"


class ExperimentAssignment(CuidModel):
    experiment = ForeignKey(
        "PersonalizationExperiment",
        on_delete=models.CASCADE,
        db_column="experimentId",
        related_name="experiment_assignments",
    )
    user_id = models.TextField(db_column="userId")
    variant_id = models.TextField(db_column="variantId")
    assigned_at = TimestampField(db_column="assignedAt", db_default=CurrentTimestamp())
    metrics = models.JSONField(null=True, blank=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "experiment_assignments"
        indexes = [
            PrismaIndex(fields=["experiment"], name="experiment_assignments_experimentId_idx"),
            PrismaIndex(fields=["user_id"], name="experiment_assignments_userId_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "user_id"],
                name="experiment_assignments_experimentId_userId_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Experiment assignment of {self.experiment_id}"
