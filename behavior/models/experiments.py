from django.contrib.postgres.fields import ArrayField
from django.db import models

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from behavior.enums import AnalysisStatus, AnalysisType, ExperimentDesignType, PhaseType


class ExperimentProtocol(CuidModel):
    user = ForeignKey(
        "learning.User",
        on_delete=models.CASCADE,
        db_column="userId",
        related_name="experiment_protocols",
    )
    protocol_name = models.TextField(db_column="protocolName")
    hypothesis = models.TextField()
    start_date = TimestampField(db_column="startDate")
    end_date = TimestampField(db_column="endDate", null=True, blank=True)
    design_type = EnumField(ExperimentDesignType, db_column="designType")
    primary_outcome = models.TextField(db_column="primaryOutcome")
    sample_size_target = models.IntegerField(db_column="sampleSizeTarget")
    analysis_plan = models.TextField(db_column="analysisPlan")
    deviations = models.JSONField()
    screened = models.IntegerField(null=True, blank=True)
    eligible = models.IntegerField(null=True, blank=True)
    enrolled = models.IntegerField(null=True, blank=True)
    completed = models.IntegerField(null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    prose_fields = frozenset({"hypothesis", "analysis_plan"})

    class Meta:
        db_table = "experiment_protocols"
        indexes = [
            PrismaIndex(fields=["user"], name="experiment_protocols_userId_idx"),
            PrismaIndex(fields=["design_type"], name="experiment_protocols_designType_idx"),
            PrismaIndex(
                fields=["start_date", "end_date"],
                name="experiment_protocols_startDate_endDate_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.protocol_name


class PhaseAssignment(CuidModel):
    protocol = ForeignKey(
        "ExperimentProtocol",
        on_delete=models.CASCADE,
        db_column="protocolId",
        related_name="phase_assignments",
    )
    phase_label = models.TextField(db_column="phaseLabel")
    phase_type = EnumField(PhaseType, db_column="phaseType")
    start_date = TimestampField(db_column="startDate")
    end_date = TimestampField(db_column="endDate", null=True, blank=True)
    planned_duration = models.IntegerField(db_column="plannedDuration")
    randomization_seed = models.IntegerField(db_column="randomizationSeed")
    intervention_params = models.JSONField(db_column="interventionParams")
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    class Meta:
        db_table = "phase_assignments"
        indexes = [
            PrismaIndex(fields=["protocol"], name="phase_assignments_protocolId_idx"),
            PrismaIndex(fields=["phase_type"], name="phase_assignments_phaseType_idx"),
            PrismaIndex(
                fields=["start_date", "end_date"],
                name="phase_assignments_startDate_endDate_idx",
            ),
            PrismaIndex(fields=["phase_label"], name="phase_assignments_phaseLabel_idx"),
        ]

    def __str__(self) -> str:
        return self.phase_label


class AnalysisRun(CuidModel):
    protocol = ForeignKey(
        "ExperimentProtocol",
        on_delete=models.CASCADE,
        db_column="protocolId",
        related_name="analysis_runs",
    )
    run_name = models.TextField(db_column="runName")
    analysis_type = EnumField(AnalysisType, db_column="analysisType")
    code_commit_hash = models.TextField(db_column="codeCommitHash")
    data_version_hash = models.TextField(db_column="dataVersionHash")
    input_params = models.JSONField(db_column="inputParams")
    mlflow_run_id = models.TextField(db_column="mlflowRunId", null=True, blank=True)
    artifact_paths = ArrayField(
        models.TextField(), db_column="artifactPaths", null=True, blank=True
    )
    results_summary = models.JSONField(db_column="resultsSummary")
    started_at = TimestampField(db_column="startedAt", db_default=CurrentTimestamp())
    completed_at = TimestampField(db_column="completedAt", null=True, blank=True)
    duration_seconds = models.IntegerField(db_column="durationSeconds", null=True, blank=True)
    status = EnumField(
        AnalysisStatus,
        default=AnalysisStatus.RUNNING,
        db_default=AnalysisStatus.RUNNING,
    )
    error_message = models.TextField(db_column="errorMessage", null=True, blank=True)

    prose_fields = frozenset({"error_message"})

    class Meta:
        db_table = "analysis_runs"
        indexes = [
            PrismaIndex(fields=["protocol"], name="analysis_runs_protocolId_idx"),
            PrismaIndex(fields=["analysis_type"], name="analysis_runs_analysisType_idx"),
            PrismaIndex(fields=["status"], name="analysis_runs_status_idx"),
            PrismaIndex(fields=["started_at"], name="analysis_runs_startedAt_idx"),
        ]

    def __str__(self) -> str:
        return f"Analysis run {self.analysis_type} of {self.protocol_id}"
