from django.db import models

from americano.db.fields import TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.models import CuidModel


class User(CuidModel):
    email = models.TextField(unique=True, null=True, blank=True)
    name = models.TextField(null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)
    auto_generate_missions = models.BooleanField(
        db_column="autoGenerateMissions", default=True, db_default=True
    )
    default_mission_minutes = models.IntegerField(
        db_column="defaultMissionMinutes", default=50, db_default=50
    )
    mission_difficulty = models.TextField(
        db_column="missionDifficulty", default="AUTO", db_default="AUTO"
    )
    preferred_study_time = models.TextField(db_column="preferredStudyTime", null=True, blank=True)
    include_in_analytics = models.BooleanField(
        db_column="includeInAnalytics", default=True, db_default=True
    )
    performance_tracking_enabled = models.BooleanField(
        db_column="performanceTrackingEnabled", default=True, db_default=True
    )
    last_mission_adaptation = TimestampField(
        db_column="lastMissionAdaptation", null=True, blank=True
    )
    behavioral_analysis_enabled = models.BooleanField(
        db_column="behavioralAnalysisEnabled", default=True, db_default=True
    )
    learning_style_profiling_enabled = models.BooleanField(
        db_column="learningStyleProfilingEnabled", default=True, db_default=True
    )
    share_anonymized_patterns = models.BooleanField(
        db_column="shareAnonymizedPatterns", default=False, db_default=False
    )
    share_peer_calibration_data = models.BooleanField(
        db_column="sharePeerCalibrationData", default=False, db_default=False
    )

    class Meta:
        db_table = "users"

    def __str__(self) -> str:
        return self.name or self.email or f"User {self.pk}"
