from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.text import Truncator

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from learning.enums import (
    CalibrationCategory,
    EmotionTag,
    MasteryStatus,
    PromptType,
    ScenarioType,
)


class ValidationPrompt(CuidModel):
    prompt_text = models.TextField(db_column="promptText")
    prompt_type = EnumField(PromptType, db_column="promptType")
    concept_name = models.TextField(db_column="conceptName")
    expected_criteria = ArrayField(
        models.TextField(), db_column="expectedCriteria", null=True, blank=True
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    objective_id = models.TextField(db_column="objectiveId", null=True, blank=True)
    prompt_data = models.JSONField(db_column="promptData", null=True, blank=True)
    difficulty_level = models.FloatField(
        db_column="difficultyLevel", default=0.5, db_default=0.5, null=True, blank=True
    )
    times_used = models.IntegerField(db_column="timesUsed", default=0, db_default=0)
    last_used_at = TimestampField(db_column="lastUsedAt", null=True, blank=True)
    discrimination_index = models.FloatField(
        db_column="discriminationIndex",
        default=0.5,
        db_default=0.5,
        null=True,
        blank=True,
    )

    soft_references = {"objective_id": "learning.LearningObjective"}
    prose_fields = frozenset({"prompt_text"})

    class Meta:
        db_table = "validation_prompts"
        indexes = [
            PrismaIndex(fields=["objective_id"], name="validation_prompts_objectiveId_idx"),
            PrismaIndex(
                fields=["difficulty_level"],
                name="validation_prompts_difficultyLevel_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.concept_name


class ValidationResponse(CuidModel):
    prompt = ForeignKey(
        "ValidationPrompt",
        on_delete=models.CASCADE,
        db_column="promptId",
        related_name="validation_responses",
    )
    session = ForeignKey(
        "StudySession",
        on_delete=models.SET_NULL,
        db_column="sessionId",
        related_name="validation_responses",
        null=True,
        blank=True,
    )
    user_answer = models.TextField(db_column="userAnswer")
    ai_evaluation = models.TextField(db_column="aiEvaluation")
    score = models.FloatField()
    confidence = models.FloatField(null=True, blank=True)
    pre_assessment_confidence = models.FloatField(
        db_column="preAssessmentConfidence", null=True, blank=True
    )
    responded_at = TimestampField(db_column="respondedAt", db_default=CurrentTimestamp())
    user_id = models.TextField(db_column="userId")
    confidence_level = models.IntegerField(db_column="confidenceLevel", null=True, blank=True)
    calibration_delta = models.FloatField(db_column="calibrationDelta", null=True, blank=True)
    calibration_category = EnumField(
        CalibrationCategory, db_column="calibrationCategory", null=True, blank=True
    )
    detailed_feedback = models.JSONField(db_column="detailedFeedback", null=True, blank=True)
    reflection_notes = models.TextField(db_column="reflectionNotes", null=True, blank=True)
    skipped = models.BooleanField(default=False, db_default=False)
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)
    initial_difficulty = models.FloatField(db_column="initialDifficulty", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"user_answer", "ai_evaluation", "reflection_notes"})

    class Meta:
        db_table = "validation_responses"
        indexes = [
            PrismaIndex(fields=["prompt"], name="validation_responses_promptId_idx"),
            PrismaIndex(fields=["responded_at"], name="validation_responses_respondedAt_idx"),
            PrismaIndex(fields=["session"], name="validation_responses_sessionId_idx"),
            PrismaIndex(fields=["user_id"], name="validation_responses_userId_idx"),
            PrismaIndex(
                fields=["user_id", "responded_at"],
                name="validation_responses_userId_respondedAt_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Validation response of {self.prompt_id}"


class ComprehensionMetric(CuidModel):
    concept_name = models.TextField(db_column="conceptName")
    date = TimestampField(db_default=CurrentTimestamp())
    avg_score = models.FloatField(db_column="avgScore")
    sample_size = models.IntegerField(db_column="sampleSize")
    trend = models.TextField(null=True, blank=True)
    objective_id = models.TextField(db_column="objectiveId", null=True, blank=True)
    total_scenarios_completed = models.IntegerField(default=0, db_default=0, null=True, blank=True)
    average_score = models.FloatField(null=True, blank=True)

    soft_references = {"objective_id": "learning.LearningObjective"}

    class Meta:
        db_table = "comprehension_metrics"
        indexes = [
            PrismaIndex(fields=["concept_name"], name="comprehension_metrics_conceptName_idx"),
            PrismaIndex(fields=["objective_id"], name="comprehension_metrics_objectiveId_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["concept_name", "date"],
                name="comprehension_metrics_conceptName_date_key",
            ),
        ]

    def __str__(self) -> str:
        return self.concept_name


class PerformanceMetric(CuidModel):
    user_id = models.TextField(db_column="userId")
    learning_objective = ForeignKey(
        "LearningObjective",
        on_delete=models.CASCADE,
        db_column="learningObjectiveId",
        related_name="performance_metrics",
    )
    date = TimestampField(db_default=CurrentTimestamp())
    retention_score = models.FloatField(db_column="retentionScore")
    study_time_ms = models.IntegerField(db_column="studyTimeMs")
    review_count = models.IntegerField(db_column="reviewCount")
    correct_reviews = models.IntegerField(db_column="correctReviews")
    incorrect_reviews = models.IntegerField(db_column="incorrectReviews")
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "performance_metrics"
        indexes = [
            PrismaIndex(fields=["user_id", "date"], name="performance_metrics_userId_date_idx"),
            PrismaIndex(
                fields=["learning_objective"],
                name="performance_metrics_learningObjectiveId_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "learning_objective", "date"],
                name="performance_metrics_userId_learningObjectiveId_date_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Performance metric of {self.learning_objective_id}"


class AdaptiveSession(CuidModel):
    user_id = models.TextField(db_column="userId")
    session_id = models.TextField(db_column="sessionId", null=True, blank=True)
    initial_difficulty = models.IntegerField(db_column="initialDifficulty")
    current_difficulty = models.IntegerField(db_column="currentDifficulty")
    irt_estimate = models.FloatField(db_column="irtEstimate", null=True, blank=True)
    confidence_interval = models.FloatField(db_column="confidenceInterval", null=True, blank=True)
    question_count = models.IntegerField(db_column="questionCount", default=0, db_default=0)
    trajectory = models.JSONField(null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "adaptive_sessions"
        indexes = [
            PrismaIndex(fields=["user_id"], name="adaptive_sessions_userId_idx"),
            PrismaIndex(fields=["session_id"], name="adaptive_sessions_sessionId_idx"),
            PrismaIndex(
                fields=["user_id", "created_at"],
                name="adaptive_sessions_userId_createdAt_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Adaptive session of {self.user_id}"


class CalibrationMetric(CuidModel):
    user_id = models.TextField(db_column="userId")
    objective_id = models.TextField(db_column="objectiveId", null=True, blank=True)
    date = TimestampField(db_default=CurrentTimestamp())
    avg_delta = models.FloatField(db_column="avgDelta")
    correlation_coeff = models.FloatField(db_column="correlationCoeff")
    sample_size = models.IntegerField(db_column="sampleSize")
    trend = models.TextField(null=True, blank=True)
    overconfident_count = models.IntegerField(
        db_column="overconfidentCount", default=0, db_default=0
    )
    underconfident_count = models.IntegerField(
        db_column="underconfidentCount", default=0, db_default=0
    )
    calibrated_count = models.IntegerField(db_column="calibratedCount", default=0, db_default=0)
    mean_absolute_error = models.FloatField(db_column="meanAbsoluteError", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User", "objective_id": "learning.LearningObjective"}

    class Meta:
        db_table = "calibration_metrics"
        indexes = [
            PrismaIndex(fields=["user_id", "date"], name="calibration_metrics_userId_date_idx"),
            PrismaIndex(fields=["objective_id"], name="calibration_metrics_objectiveId_idx"),
            PrismaIndex(
                fields=["correlation_coeff"],
                name="calibration_metrics_correlationCoeff_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "date", "objective_id"],
                name="calibration_metrics_userId_date_objectiveId_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Calibration metric of {self.user_id}"


class ClinicalReasoningMetric(CuidModel):
    user = ForeignKey(
        "User",
        on_delete=models.CASCADE,
        db_column="userId",
        related_name="clinical_reasoning_metrics",
    )
    scenario_type = models.TextField(db_column="scenarioType")
    competency_scores = models.JSONField(db_column="competencyScores")
    board_exam_topic = models.TextField(db_column="boardExamTopic", null=True, blank=True)
    date = TimestampField(db_default=CurrentTimestamp())

    class Meta:
        db_table = "clinical_reasoning_metrics"
        indexes = [
            PrismaIndex(
                fields=["user", "date"],
                name="clinical_reasoning_metrics_userId_date_idx",
            ),
            PrismaIndex(
                fields=["scenario_type"],
                name="clinical_reasoning_metrics_scenarioType_idx",
            ),
            PrismaIndex(
                fields=["board_exam_topic"],
                name="clinical_reasoning_metrics_boardExamTopic_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Clinical reasoning metric of {self.user_id}"


class ClinicalScenario(CuidModel):
    objective = ForeignKey(
        "LearningObjective",
        on_delete=models.CASCADE,
        db_column="objectiveId",
        related_name="clinical_scenarios",
    )
    scenario_type = EnumField(ScenarioType, db_column="scenarioType")
    difficulty = models.TextField()
    case_text = models.JSONField(db_column="caseText")
    board_exam_topic = models.TextField(db_column="boardExamTopic", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    class Meta:
        db_table = "clinical_scenarios"
        indexes = [
            PrismaIndex(fields=["objective"], name="clinical_scenarios_objectiveId_idx"),
            PrismaIndex(
                fields=["board_exam_topic"],
                name="clinical_scenarios_boardExamTopic_idx",
            ),
            PrismaIndex(fields=["created_at"], name="clinical_scenarios_createdAt_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_type} scenario ({self.board_exam_topic or self.difficulty})"


class ControlledFailure(CuidModel):
    objective = ForeignKey(
        "LearningObjective",
        on_delete=models.CASCADE,
        db_column="objectiveId",
        related_name="controlled_failures",
    )
    user_id = models.TextField(db_column="userId")
    prompt_id = models.TextField(db_column="promptId")
    response_id = models.TextField(db_column="responseId", null=True, blank=True)
    attempt_number = models.IntegerField(db_column="attemptNumber")
    is_correct = models.BooleanField(db_column="isCorrect")
    emotion_tag = EnumField(EmotionTag, db_column="emotionTag", null=True, blank=True)
    personal_notes = models.TextField(db_column="personalNotes", null=True, blank=True)
    retest_schedule = models.JSONField(db_column="retestSchedule")
    next_retry_at = TimestampField(db_column="nextRetryAt", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    soft_references = {
        "user_id": "learning.User",
        "prompt_id": "learning.ValidationPrompt",
        "response_id": "learning.ValidationResponse",
    }
    prose_fields = frozenset({"personal_notes"})

    class Meta:
        db_table = "controlled_failures"
        indexes = [
            PrismaIndex(
                fields=["user_id", "objective"],
                name="controlled_failures_userId_objectiveId_idx",
            ),
            PrismaIndex(fields=["next_retry_at"], name="controlled_failures_nextRetryAt_idx"),
            PrismaIndex(
                fields=["user_id", "next_retry_at"],
                name="controlled_failures_userId_nextRetryAt_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Controlled failure of {self.objective_id}"


class DailyInsight(CuidModel):
    user_id = models.TextField(db_column="userId")
    date = TimestampField()
    insight_type = models.TextField(db_column="insightType")
    message = models.TextField()
    recommended_actions = models.JSONField(db_column="recommendedActions")
    priority = models.IntegerField()
    dismissed = models.BooleanField(default=False, db_default=False)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"message"})

    class Meta:
        db_table = "daily_insights"
        indexes = [
            PrismaIndex(fields=["user_id"], name="daily_insights_userId_idx"),
            PrismaIndex(fields=["date"], name="daily_insights_date_idx"),
        ]

    def __str__(self) -> str:
        return Truncator(self.message).chars(80)


class FailurePattern(CuidModel):
    user_id = models.TextField(db_column="userId")
    pattern_type = models.TextField(db_column="patternType")
    affected_objectives = models.JSONField(db_column="affectedObjectives")
    pattern_description = models.TextField(db_column="patternDescription")
    remediation = models.TextField()
    confidence = models.FloatField(default=0.5, db_default=0.5)
    detected_at = TimestampField(db_column="detectedAt", db_default=CurrentTimestamp())
    last_seen_at = TimestampField(db_column="lastSeenAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"pattern_description", "remediation"})

    class Meta:
        db_table = "failure_patterns"
        indexes = [
            PrismaIndex(fields=["user_id"], name="failure_patterns_userId_idx"),
            PrismaIndex(fields=["pattern_type"], name="failure_patterns_patternType_idx"),
            PrismaIndex(
                fields=["user_id", "last_seen_at"],
                name="failure_patterns_userId_lastSeenAt_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.pattern_description[:80]


class MasteryVerification(CuidModel):
    user_id = models.TextField(db_column="userId")
    objective = ForeignKey(
        "LearningObjective",
        on_delete=models.CASCADE,
        db_column="objectiveId",
        related_name="mastery_verifications",
    )
    status = EnumField(
        MasteryStatus,
        default=MasteryStatus.NOT_STARTED,
        db_default=MasteryStatus.NOT_STARTED,
    )
    verified_at = TimestampField(db_column="verifiedAt", null=True, blank=True)
    criteria = models.JSONField()
    completed_at = TimestampField(db_column="completedAt", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "mastery_verifications"
        indexes = [
            PrismaIndex(fields=["user_id"], name="mastery_verifications_userId_idx"),
            PrismaIndex(fields=["objective"], name="mastery_verifications_objectiveId_idx"),
            PrismaIndex(fields=["status"], name="mastery_verifications_status_idx"),
            PrismaIndex(
                fields=["user_id", "status"],
                name="mastery_verifications_userId_status_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "objective"],
                name="mastery_verifications_userId_objectiveId_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Mastery verification {self.status} of {self.objective_id}"


class PeerBenchmark(CuidModel):
    objective_id = models.TextField(db_column="objectiveId")
    metric = models.TextField()
    percentile25 = models.FloatField()
    percentile50 = models.FloatField()
    percentile75 = models.FloatField()
    mean = models.FloatField()
    std_dev = models.FloatField(db_column="stdDev")
    sample_size = models.IntegerField(db_column="sampleSize")
    calculated_at = TimestampField(db_column="calculatedAt", db_default=CurrentTimestamp())

    soft_references = {"objective_id": "learning.LearningObjective"}

    class Meta:
        db_table = "peer_benchmarks"
        indexes = [
            PrismaIndex(fields=["objective_id"], name="peer_benchmarks_objectiveId_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["objective_id", "metric"],
                name="peer_benchmarks_objectiveId_metric_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Peer benchmark {self.pk}"


class ScenarioResponse(CuidModel):
    scenario = ForeignKey(
        "ClinicalScenario",
        on_delete=models.CASCADE,
        db_column="scenarioId",
        related_name="scenario_responses",
    )
    user = ForeignKey(
        "User",
        on_delete=models.CASCADE,
        db_column="userId",
        related_name="scenario_responses",
    )
    session = ForeignKey(
        "StudySession",
        on_delete=models.SET_NULL,
        db_column="sessionId",
        related_name="scenario_responses",
        null=True,
        blank=True,
    )
    user_choices = models.JSONField(db_column="userChoices")
    user_reasoning = models.TextField(db_column="userReasoning")
    score = models.IntegerField()
    competency_scores = models.JSONField(db_column="competencyScores")
    time_spent = models.IntegerField(db_column="timeSpent")
    responded_at = TimestampField(db_column="respondedAt", db_default=CurrentTimestamp())

    prose_fields = frozenset({"user_reasoning"})

    class Meta:
        db_table = "scenario_responses"
        indexes = [
            PrismaIndex(fields=["scenario"], name="scenario_responses_scenarioId_idx"),
            PrismaIndex(fields=["user"], name="scenario_responses_userId_idx"),
            PrismaIndex(fields=["responded_at"], name="scenario_responses_respondedAt_idx"),
        ]

    def __str__(self) -> str:
        return f"Scenario response of {self.scenario_id}"


class UnderstandingPrediction(CuidModel):
    user_id = models.TextField(db_column="userId")
    objective_id = models.TextField(db_column="objectiveId")
    prediction_type = models.TextField(db_column="predictionType")
    predicted_value = models.FloatField(db_column="predictedValue")
    confidence_interval = models.JSONField(db_column="confidenceInterval")
    predicted_at = TimestampField(db_column="predictedAt", db_default=CurrentTimestamp())
    actual_value = models.FloatField(db_column="actualValue", null=True, blank=True)
    accuracy = models.FloatField(null=True, blank=True)

    soft_references = {"user_id": "learning.User", "objective_id": "learning.LearningObjective"}

    class Meta:
        db_table = "understanding_predictions"
        indexes = [
            PrismaIndex(fields=["user_id"], name="understanding_predictions_userId_idx"),
            PrismaIndex(
                fields=["objective_id"],
                name="understanding_predictions_objectiveId_idx",
            ),
            PrismaIndex(
                fields=["predicted_at"],
                name="understanding_predictions_predictedAt_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Understanding prediction of {self.user_id}"
