from django.contrib.postgres.fields import ArrayField
from django.db import models

from americano.db.fields import EnumField, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from behavior.enums import BurnoutRiskLevel


class CognitiveLoadMetric(CuidModel):
    user_id = models.TextField(db_column="userId")
    session_id = models.TextField(db_column="sessionId", null=True, blank=True)
    load_score = models.FloatField(db_column="loadScore")
    stress_indicators = models.JSONField(db_column="stressIndicators")
    confidence_level = models.FloatField(db_column="confidenceLevel")
    timestamp = TimestampField(db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "cognitive_load_metrics"
        indexes = [
            PrismaIndex(fields=["user_id"], name="cognitive_load_metrics_userId_idx"),
            PrismaIndex(fields=["session_id"], name="cognitive_load_metrics_sessionId_idx"),
            PrismaIndex(fields=["timestamp"], name="cognitive_load_metrics_timestamp_idx"),
            PrismaIndex(fields=["load_score"], name="cognitive_load_metrics_loadScore_idx"),
        ]

    def __str__(self) -> str:
        return f"Cognitive load metric of {self.user_id}"


class BurnoutRiskAssessment(CuidModel):
    user_id = models.TextField(db_column="userId")
    risk_score = models.FloatField(db_column="riskScore")
    risk_level = EnumField(BurnoutRiskLevel, db_column="riskLevel")
    contributing_factors = models.JSONField(db_column="contributingFactors")
    warning_signals = models.JSONField(db_column="warningSignals", null=True, blank=True)
    recommendations = ArrayField(models.TextField(), null=True, blank=True)
    confidence = models.FloatField(default=0.7, db_default=0.7)
    assessment_date = TimestampField(db_column="assessmentDate", db_default=CurrentTimestamp())
    intervention_applied = models.BooleanField(
        db_column="interventionApplied", default=False, db_default=False
    )
    intervention_id = models.TextField(db_column="interventionId", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "burnout_risk_assessments"
        indexes = [
            PrismaIndex(fields=["user_id"], name="burnout_risk_assessments_userId_idx"),
            PrismaIndex(fields=["risk_level"], name="burnout_risk_assessments_riskLevel_idx"),
            PrismaIndex(
                fields=["assessment_date"],
                name="burnout_risk_assessments_assessmentDate_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Burnout risk assessment {self.risk_level} of {self.user_id}"
