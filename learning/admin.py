"""Admin of the learning tables: what each list shows, searches and filters.

Everything shared (fast counts, autocomplete, links, summaries of embeddings
and JSON) is in ``americano.admin``; tables the application writes as events or
analytics are read-only.
"""

from django.contrib import admin

from americano.admin import AmericanoModelAdmin, ReadOnlyModelAdmin
from learning import models


@admin.register(models.User)
class UserAdmin(AmericanoModelAdmin):
    list_display = (
        "__str__",
        "email",
        "created_at",
        "auto_generate_missions",
        "include_in_analytics",
    )
    search_fields = ("email", "name")
    list_filter = ("created_at", "auto_generate_missions", "behavioral_analysis_enabled")


@admin.register(models.Course)
class CourseAdmin(AmericanoModelAdmin):
    list_display = ("name", "code", "term", "user", "created_at")
    search_fields = ("name", "code", "term", "user__email")
    list_filter = ("created_at",)


@admin.register(models.Lecture)
class LectureAdmin(AmericanoModelAdmin):
    list_display = ("title", "course", "user", "processing_status", "uploaded_at", "processed_at")
    search_fields = ("title", "file_name", "course__name")
    list_filter = ("processing_status", "uploaded_at")


@admin.register(models.LearningObjective)
class LearningObjectiveAdmin(AmericanoModelAdmin):
    list_display = ("objective", "lecture", "complexity", "mastery_level", "is_high_yield")
    search_fields = ("objective", "lecture__title")
    list_filter = ("complexity", "mastery_level", "is_high_yield")


@admin.register(models.ObjectivePrerequisite)
class ObjectivePrerequisiteAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "objective", "prerequisite", "strength")
    search_fields = ("objective__objective", "prerequisite__objective")


@admin.register(models.Exam)
class ExamAdmin(AmericanoModelAdmin):
    list_display = ("name", "course", "user", "date")
    search_fields = ("name", "course__name", "user__email")
    list_filter = ("date",)


@admin.register(models.CoursePriority)
class CoursePriorityAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "course", "user", "priority_level", "updated_at")
    search_fields = ("course__name", "user__email")
    list_filter = ("priority_level",)


@admin.register(models.PriorityFeedback)
class PriorityFeedbackAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "objective", "user_id", "user_feedback", "created_at")
    search_fields = ("user_id__exact", "notes")
    list_filter = ("user_feedback", "created_at")


@admin.register(models.Mission)
class MissionAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user", "date", "status", "estimated_minutes", "completed_at")
    search_fields = ("user__email",)
    list_filter = ("status", "date")
    date_hierarchy = "date"


@admin.register(models.Streak)
class StreakAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user", "current_streak", "longest_streak", "last_study_date")
    search_fields = ("user__email",)


@admin.register(models.Achievement)
class AchievementAdmin(AmericanoModelAdmin):
    list_display = ("name", "user", "type", "tier", "earned_at")
    search_fields = ("name", "user__email")
    list_filter = ("type", "tier", "earned_at")


@admin.register(models.StudyGoal)
class StudyGoalAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user", "goal_type", "period", "is_completed", "end_date")
    search_fields = ("user__email",)
    list_filter = ("goal_type", "period", "is_completed")


@admin.register(models.MissionAnalytics)
class MissionAnalyticsAdmin(ReadOnlyModelAdmin):
    list_display = ("date", "period", "user_id", "missions_completed", "avg_completion_rate")
    search_fields = ("user_id__exact",)
    list_filter = ("period", "date")
    date_hierarchy = "date"


@admin.register(models.MissionFeedback)
class MissionFeedbackAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "mission", "user_id", "pace_rating", "submitted_at")
    search_fields = ("user_id__exact", "improvement_suggestions")
    list_filter = ("pace_rating", "submitted_at")


@admin.register(models.MissionStreak)
class MissionStreakAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user", "current_streak", "longest_streak", "last_completed_date")
    search_fields = ("user__email",)


@admin.register(models.MissionReview)
class MissionReviewAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user", "period", "start_date", "end_date", "generated_at")
    search_fields = ("user__email",)
    list_filter = ("period", "generated_at")


@admin.register(models.Card)
class CardAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "course", "lecture", "card_type", "next_review_at", "review_count")
    search_fields = ("front", "back")
    list_filter = ("card_type", "next_review_at")


@admin.register(models.Review)
class ReviewAdmin(ReadOnlyModelAdmin):
    list_display = ("reviewed_at", "rating", "user", "card", "time_spent_ms")
    search_fields = ("user__email", "card__id__exact")
    list_filter = ("rating", "reviewed_at")
    date_hierarchy = "reviewed_at"


@admin.register(models.StudySession)
class StudySessionAdmin(AmericanoModelAdmin):
    list_display = ("started_at", "user", "mission", "completed_at", "reviews_completed")
    search_fields = ("user__email", "session_notes")
    list_filter = ("started_at",)
    date_hierarchy = "started_at"


@admin.register(models.ValidationPrompt)
class ValidationPromptAdmin(AmericanoModelAdmin):
    list_display = ("concept_name", "prompt_type", "objective_id", "times_used", "created_at")
    search_fields = ("concept_name", "prompt_text")
    list_filter = ("prompt_type", "created_at")


@admin.register(models.ValidationResponse)
class ValidationResponseAdmin(AmericanoModelAdmin):
    list_display = ("responded_at", "prompt", "user_id", "score", "calibration_category")
    search_fields = ("user_id__exact", "user_answer")
    list_filter = ("calibration_category", "skipped", "responded_at")
    date_hierarchy = "responded_at"


@admin.register(models.ComprehensionMetric)
class ComprehensionMetricAdmin(ReadOnlyModelAdmin):
    list_display = ("concept_name", "date", "avg_score", "sample_size", "trend")
    search_fields = ("concept_name",)
    list_filter = ("date",)
    date_hierarchy = "date"


@admin.register(models.PerformanceMetric)
class PerformanceMetricAdmin(ReadOnlyModelAdmin):
    list_display = ("date", "learning_objective", "user_id", "retention_score", "review_count")
    search_fields = ("user_id__exact",)
    list_filter = ("date",)
    date_hierarchy = "date"


@admin.register(models.AdaptiveSession)
class AdaptiveSessionAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "current_difficulty", "question_count", "created_at")
    search_fields = ("user_id__exact", "session_id__exact")
    list_filter = ("created_at",)


@admin.register(models.CalibrationMetric)
class CalibrationMetricAdmin(ReadOnlyModelAdmin):
    list_display = ("date", "user_id", "objective_id", "avg_delta", "sample_size")
    search_fields = ("user_id__exact", "objective_id__exact")
    list_filter = ("date",)
    date_hierarchy = "date"


@admin.register(models.ClinicalReasoningMetric)
class ClinicalReasoningMetricAdmin(ReadOnlyModelAdmin):
    list_display = ("date", "user", "scenario_type", "board_exam_topic")
    search_fields = ("scenario_type", "board_exam_topic", "user__email")
    list_filter = ("date",)
    date_hierarchy = "date"


@admin.register(models.ClinicalScenario)
class ClinicalScenarioAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "objective", "scenario_type", "difficulty", "created_at")
    search_fields = ("board_exam_topic", "difficulty")
    list_filter = ("scenario_type", "created_at")


@admin.register(models.ControlledFailure)
class ControlledFailureAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "objective", "user_id", "is_correct", "emotion_tag", "next_retry_at")
    search_fields = ("user_id__exact", "personal_notes")
    list_filter = ("is_correct", "emotion_tag", "next_retry_at")


@admin.register(models.DailyInsight)
class DailyInsightAdmin(AmericanoModelAdmin):
    list_display = ("message", "user_id", "insight_type", "priority", "dismissed", "date")
    search_fields = ("message", "insight_type", "user_id__exact")
    list_filter = ("dismissed", "date")
    date_hierarchy = "date"


@admin.register(models.FailurePattern)
class FailurePatternAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "pattern_type", "confidence", "last_seen_at")
    search_fields = ("pattern_type", "pattern_description", "user_id__exact")
    list_filter = ("last_seen_at",)


@admin.register(models.MasteryVerification)
class MasteryVerificationAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "objective", "user_id", "status", "verified_at")
    search_fields = ("user_id__exact", "objective__objective")
    list_filter = ("status", "verified_at")


@admin.register(models.PeerBenchmark)
class PeerBenchmarkAdmin(ReadOnlyModelAdmin):
    list_display = ("metric", "objective_id", "mean", "percentile50", "sample_size")
    search_fields = ("metric", "objective_id__exact")
    list_filter = ("calculated_at",)


@admin.register(models.ScenarioResponse)
class ScenarioResponseAdmin(AmericanoModelAdmin):
    list_display = ("responded_at", "scenario", "user", "score", "time_spent")
    search_fields = ("user__email", "user_reasoning")
    list_filter = ("responded_at",)
    date_hierarchy = "responded_at"


@admin.register(models.UnderstandingPrediction)
class UnderstandingPredictionAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "objective_id", "prediction_type", "predicted_at")
    search_fields = ("prediction_type", "user_id__exact", "objective_id__exact")
    list_filter = ("predicted_at",)
