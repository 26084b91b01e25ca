"""Admin of the behavior tables: what each list shows, searches and filters.

Everything shared (fast counts, autocomplete, links, summaries of embeddings
and JSON) is in ``americano.admin``; tables the application writes as events or
analytics are read-only, and so are calendar integrations, whose OAuth tokens
are never shown.
"""

from django.contrib import admin

from americano.admin import AmericanoModelAdmin, ReadOnlyModelAdmin
from behavior import models


@admin.register(models.BehavioralEvent)
class BehavioralEventAdmin(ReadOnlyModelAdmin):
    list_display = ("timestamp", "event_type", "user_id", "engagement_level", "context_metadata")
    search_fields = ("user_id__exact",)
    list_filter = ("event_type", "engagement_level", "completion_quality", "timestamp")
    date_hierarchy = "timestamp"


@admin.register(models.ContextMetadata)
class ContextMetadataAdmin(ReadOnlyModelAdmin):
    list_display = ("timestamp", "user_id", "mood", "energy_level", "stress_level")
    search_fields = ("user_id__exact", "notes")
    list_filter = ("mood", "location", "timestamp")
    date_hierarchy = "timestamp"


@admin.register(models.ExperimentProtocol)
class ExperimentProtocolAdmin(AmericanoModelAdmin):
    list_display = ("protocol_name", "user", "design_type", "start_date", "end_date", "enrolled")
    search_fields = ("protocol_name", "hypothesis", "user__email")
    list_filter = ("design_type", "start_date")


@admin.register(models.PhaseAssignment)
class PhaseAssignmentAdmin(AmericanoModelAdmin):
    list_display = ("phase_label", "protocol", "phase_type", "start_date", "end_date")
    search_fields = ("phase_label", "protocol__protocol_name")
    list_filter = ("phase_type", "start_date")


@admin.register(models.AnalysisRun)
class AnalysisRunAdmin(AmericanoModelAdmin):
    list_display = ("run_name", "protocol", "analysis_type", "status", "started_at", "completed_at")
    search_fields = ("run_name", "code_commit_hash", "error_message")
    list_filter = ("status", "analysis_type", "started_at")


@admin.register(models.BehavioralPattern)
class BehavioralPatternAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "pattern_type", "confidence", "last_seen_at")
    search_fields = ("pattern_name", "user_id__exact")
    list_filter = ("pattern_type", "last_seen_at")


@admin.register(models.BehavioralInsight)
class BehavioralInsightAdmin(AmericanoModelAdmin):
    list_display = ("title", "user_id", "insight_type", "confidence", "applied", "created_at")
    search_fields = ("title", "description", "user_id__exact")
    list_filter = ("insight_type", "applied", "created_at")


@admin.register(models.InsightPattern)
class InsightPatternAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "insight", "pattern")
    search_fields = ("insight__title", "pattern__pattern_name")


@admin.register(models.UserLearningProfile)
class UserLearningProfileAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "optimal_session_duration", "last_analyzed_at")
    search_fields = ("user_id__exact",)
    list_filter = ("last_analyzed_at",)


@admin.register(models.LearningPattern)
class LearningPatternAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "pattern_type", "confidence", "last_seen_at")
    search_fields = ("user_id__exact",)
    list_filter = ("pattern_type", "last_seen_at")


@admin.register(models.PerformancePrediction)
class PerformancePredictionAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "prediction_type", "predicted_for", "confidence")
    search_fields = ("prediction_type", "user_id__exact")
    list_filter = ("predicted_for",)


@admin.register(models.StressResponsePattern)
class StressResponsePatternAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "confidence", "detected_at")
    search_fields = ("user_id__exact",)
    list_filter = ("detected_at",)


@admin.register(models.PersonalizationPreferences)
class PersonalizationPreferencesAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "personalization_level", "auto_adapt_enabled")
    search_fields = ("user_id__exact",)
    list_filter = ("personalization_level", "auto_adapt_enabled")


@admin.register(models.PersonalizationConfig)
class PersonalizationConfigAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "preferences", "user_id", "context", "is_active", "avg_reward")
    search_fields = ("strategy_variant", "user_id__exact")
    list_filter = ("context", "is_active")


@admin.register(models.PersonalizationEffectiveness)
class PersonalizationEffectivenessAdmin(ReadOnlyModelAdmin):
    list_display = ("__str__", "config", "user_id", "composite_score", "calculated_at")
    search_fields = ("user_id__exact",)
    list_filter = ("is_statistically_significant", "calculated_at")


@admin.register(models.PersonalizationExperiment)
class PersonalizationExperimentAdmin(AmericanoModelAdmin):
    list_display = ("experiment_name", "user_id", "experiment_type", "status", "start_date")
    search_fields = ("experiment_name", "user_id__exact")
    list_filter = ("status", "experiment_type", "context")


@admin.register(models.PersonalizationOutcome)
class PersonalizationOutcomeAdmin(ReadOnlyModelAdmin):
    list_display = ("timestamp", "outcome_type", "context", "user_id", "config_id")
    search_fields = ("user_id__exact", "config_id__exact")
    list_filter = ("outcome_type", "context", "timestamp")
    date_hierarchy = "timestamp"


@admin.register(models.ExperimentAssignment)
class ExperimentAssignmentAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "experiment", "user_id", "variant_id", "assigned_at")
    search_fields = ("user_id__exact", "variant_id")
    list_filter = ("assigned_at",)


@admin.register(models.LearningArticle)
class LearningArticleAdmin(AmericanoModelAdmin):
    list_display = ("title", "slug", "category", "reading_time_minutes", "published_at")
    search_fields = ("title", "slug", "summary")
    list_filter = ("category", "published_at")


@admin.register(models.ArticleRead)
class ArticleReadAdmin(ReadOnlyModelAdmin):
    list_display = ("read_at", "article", "user_id", "completed_read", "rating")
    search_fields = ("user_id__exact", "article__title")
    list_filter = ("completed_read", "read_at")
    date_hierarchy = "read_at"


@admin.register(models.Recommendation)
class RecommendationAdmin(AmericanoModelAdmin):
    list_display = ("title", "user_id", "recommendation_type", "status", "priority_score")
    search_fields = ("title", "description", "user_id__exact")
    list_filter = ("status", "recommendation_type", "created_at")


@admin.register(models.AppliedRecommendation)
class AppliedRecommendationAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "recommendation", "user_id", "application_type", "applied_at")
    search_fields = ("user_id__exact", "recommendation__title")
    list_filter = ("application_type", "applied_at")


@admin.register(models.BehavioralGoal)
class BehavioralGoalAdmin(AmericanoModelAdmin):
    list_display = ("title", "user_id", "goal_type", "status", "deadline")
    search_fields = ("title", "description", "user_id__exact")
    list_filter = ("status", "goal_type", "deadline")


@admin.register(models.InsightNotification)
class InsightNotificationAdmin(AmericanoModelAdmin):
    list_display = ("title", "user_id", "notification_type", "priority", "read_at", "created_at")
    search_fields = ("title", "message", "user_id__exact")
    list_filter = ("notification_type", "priority", "created_at")


@admin.register(models.StudyScheduleRecommendation)
class StudyScheduleRecommendationAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "created_at", "applied_at")
    search_fields = ("reasoning", "user_id__exact")
    list_filter = ("created_at", "applied_at")


@admin.register(models.ScheduleAdaptation)
class ScheduleAdaptationAdmin(ReadOnlyModelAdmin):
    list_display = ("applied_at", "adaptation_type", "user_id")
    search_fields = ("user_id__exact",)
    list_filter = ("adaptation_type", "applied_at")
    date_hierarchy = "applied_at"


@admin.register(models.CalendarIntegration)
class CalendarIntegrationAdmin(ReadOnlyModelAdmin):
    list_display = ("__str__", "user_id", "calendar_provider", "sync_enabled", "last_sync_at")
    search_fields = ("user_id__exact", "calendar_provider")
    list_filter = ("sync_enabled", "calendar_provider")
    exclude = ("access_token", "refresh_token")


@admin.register(models.SessionOrchestrationPlan)
class SessionOrchestrationPlanAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "mission_id", "created_at", "applied_at")
    search_fields = ("user_id__exact", "mission_id__exact")
    list_filter = ("created_at",)


@admin.register(models.InterventionRecommendation)
class InterventionRecommendationAdmin(AmericanoModelAdmin):
    list_display = ("description", "user_id", "intervention_type", "status", "priority")
    search_fields = ("description", "user_id__exact")
    list_filter = ("status", "intervention_type", "created_at")


@admin.register(models.StruggleIndicator)
class StruggleIndicatorAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "prediction", "indicator_type", "severity", "detected_at")
    search_fields = ("user_id__exact", "learning_objective_id__exact")
    list_filter = ("severity", "indicator_type", "detected_at")


@admin.register(models.StrugglePrediction)
class StrugglePredictionAdmin(AmericanoModelAdmin):
    list_display = (
        "__str__",
        "learning_objective",
        "user_id",
        "prediction_status",
        "prediction_date",
    )
    search_fields = ("user_id__exact", "learning_objective__objective")
    list_filter = ("prediction_status", "prediction_date")


@admin.register(models.CognitiveLoadMetric)
class CognitiveLoadMetricAdmin(ReadOnlyModelAdmin):
    list_display = ("timestamp", "user_id", "load_score", "confidence_level")
    search_fields = ("user_id__exact", "session_id__exact")
    list_filter = ("timestamp",)
    date_hierarchy = "timestamp"


@admin.register(models.BurnoutRiskAssessment)
class BurnoutRiskAssessmentAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "user_id", "risk_level", "risk_score", "assessment_date")
    search_fields = ("user_id__exact",)
    list_filter = ("risk_level", "assessment_date")
