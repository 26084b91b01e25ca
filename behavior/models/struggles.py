from django.db import models

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from behavior.enums import (
    IndicatorType,
    InterventionStatus,
    InterventionType,
    PredictionStatus,
    Severity,
)


class InterventionRecommendation(CuidModel):
    user_id = models.TextField(db_column="userId")
    prediction = ForeignKey(
        "StrugglePrediction",
        on_delete=models.SET_NULL,
        db_column="predictionId",
        related_name="intervention_recommendations",
        null=True,
        blank=True,
    )
    intervention_type = EnumField(InterventionType, db_column="interventionType")
    description = models.TextField()
    reasoning = models.TextField()
    priority = models.IntegerField()
    status = EnumField(
        InterventionStatus,
        default=InterventionStatus.PENDING,
        db_default=InterventionStatus.PENDING,
    )
    related_objective_id = models.TextField(db_column="relatedObjectiveId", null=True, blank=True)
    applied_to_mission_id = models.TextField(db_column="appliedToMissionId", null=True, blank=True)
    applied_at = TimestampField(db_column="appliedAt", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    acknowledged_at = TimestampField(db_column="acknowledgedAt", null=True, blank=True)

    soft_references = {
        "user_id": "learning.User",
        "related_objective_id": "learning.LearningObjective",
        "applied_to_mission_id": "learning.Mission",
    }
    prose_fields = frozenset({"description", "reasoning"})

    class Meta:
        db_table = "intervention_recommendations"
        indexes = [
            PrismaIndex(fields=["user_id"], name="intervention_recommendations_userId_idx"),
            PrismaIndex(
                fields=["prediction"],
                name="intervention_recommendations_predictionId_idx",
            ),
            PrismaIndex(fields=["status"], name="intervention_recommendations_status_idx"),
            PrismaIndex(fields=["priority"], name="intervention_recommendations_priority_idx"),
        ]

    def __str__(self) -> str:
        return self.description


class StruggleIndicator(CuidModel):
    user_id = models.TextField(db_column="userId")
    learning_objective_id = models.TextField(db_column="learningObjectiveId")
    prediction = ForeignKey(
        "StrugglePrediction",
        on_delete=models.SET_NULL,
        db_column="predictionId",
        related_name="struggle_indicators",
        null=True,
        blank=True,
    )
    indicator_type = EnumField(IndicatorType, db_column="indicatorType")
    severity = EnumField(Severity)
    context = models.JSONField(null=True, blank=True)
    detected_at = TimestampField(db_column="detectedAt", db_default=CurrentTimestamp())

    soft_references = {
        "user_id": "learning.User",
        "learning_objective_id": "learning.LearningObjective",
    }

    class Meta:
        db_table = "struggle_indicators"
        indexes = [
            PrismaIndex(fields=["user_id"], name="struggle_indicators_userId_idx"),
            PrismaIndex(
                fields=["learning_objective_id"],
                name="struggle_indicators_learningObjectiveId_idx",
            ),
            PrismaIndex(fields=["prediction"], name="struggle_indicators_predictionId_idx"),
            PrismaIndex(fields=["indicator_type"], name="struggle_indicators_indicatorType_idx"),
            PrismaIndex(fields=["severity"], name="struggle_indicators_severity_idx"),
        ]

    def __str__(self) -> str:
        return f"Struggle indicator {self.indicator_type} of {self.user_id}"


class StrugglePrediction(CuidModel):
    user_id = models.TextField(db_column="userId")
    # The contract makes this column NOT NULL with ON DELETE SET NULL, so the
    # database refuses to delete an objective that has predictions. The action
    # stays as Prisma declared it; PROTECT says the same in Python, before the
    # database has to (Django forbids SET_NULL on a non-null field, E320).
    learning_objective = ForeignKey(
        "learning.LearningObjective",
        on_delete=models.PROTECT,
        db_on_delete="SET NULL",
        db_column="learningObjectiveId",
        related_name="struggle_predictions",
    )
    topic_id = models.TextField(db_column="topicId", null=True, blank=True)
    predicted_struggle_probability = models.FloatField(db_column="predictedStruggleProbability")
    prediction_confidence = models.FloatField(db_column="predictionConfidence")
    prediction_status = EnumField(
        PredictionStatus,
        db_column="predictionStatus",
        default=PredictionStatus.PENDING,
        db_default=PredictionStatus.PENDING,
    )
    feature_vector = models.JSONField(db_column="featureVector", null=True, blank=True)
    struggling_factors = models.JSONField(db_column="strugglingFactors")
    prediction_date = TimestampField(db_column="predictionDate", db_default=CurrentTimestamp())
    predicted_at = TimestampField(db_column="predictedAt", db_default=CurrentTimestamp())
    acknowledged_at = TimestampField(db_column="acknowledgedAt", null=True, blank=True)
    actual_outcome = models.BooleanField(db_column="actualOutcome", null=True, blank=True)
    actual_outcome_recorded_at = TimestampField(
        db_column="actualOutcomeRecordedAt", null=True, blank=True
    )
    intervention_applied = models.BooleanField(
        db_column="interventionApplied", default=False, db_default=False
    )
    intervention_id = models.TextField(db_column="interventionId", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "struggle_predictions"
        indexes = [
            PrismaIndex(fields=["user_id"], name="struggle_predictions_userId_idx"),
            PrismaIndex(
                fields=["learning_objective"],
                name="struggle_predictions_learningObjectiveId_idx",
            ),
            PrismaIndex(
                fields=["predicted_struggle_probability"],
                name="struggle_predictions_predictedStruggleProbability_idx",
            ),
            PrismaIndex(
                fields=["prediction_status"],
                name="struggle_predictions_predictionStatus_idx",
            ),
            PrismaIndex(
                fields=["prediction_date"],
                name="struggle_predictions_predictionDate_idx",
            ),
            PrismaIndex(fields=["topic_id"], name="struggle_predictions_topicId_idx"),
            PrismaIndex(
                fields=[
                    "user_id",
                    "prediction_status",
                    "predicted_struggle_probability",
                ],
                name="struggle_predictions_userId_predictionStatus_predictedStrug_idx",
            ),
            PrismaIndex(
                fields=["user_id", "topic_id", "prediction_date"],
                name="struggle_predictions_userId_topicId_predictionDate_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Struggle prediction {self.prediction_status} of {self.learning_objective_id}"
