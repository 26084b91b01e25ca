"""Admin of the content tables: what each list shows, searches and filters.

Everything shared (fast counts, autocomplete, links, summaries of embeddings
and JSON) is in ``americano.admin``; tables the application writes as events or
analytics are read-only.
"""

from django.contrib import admin

from americano.admin import AmericanoModelAdmin, ReadOnlyModelAdmin
from content import models


@admin.register(models.ContentChunk)
class ContentChunkAdmin(AmericanoModelAdmin):
    list_display = ("content", "lecture", "chunk_index", "page_number", "created_at")
    search_fields = ("content", "lecture__id__exact")
    list_filter = ("created_at",)


@admin.register(models.Concept)
class ConceptAdmin(AmericanoModelAdmin):
    list_display = ("name", "category", "description", "created_at")
    search_fields = ("name", "category", "description")
    list_filter = ("created_at",)


@admin.register(models.ConceptRelationship)
class ConceptRelationshipAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "from_concept", "to_concept", "relationship", "strength")
    search_fields = ("from_concept__name", "to_concept__name", "user_note")
    list_filter = ("relationship", "is_user_defined")


@admin.register(models.ConflictFlag)
class ConflictFlagAdmin(AmericanoModelAdmin):
    list_display = ("description", "conflict", "user_id", "status", "flagged_at")
    search_fields = ("description", "user_id__exact")
    list_filter = ("flagged_at",)


@admin.register(models.ConflictHistory)
class ConflictHistoryAdmin(ReadOnlyModelAdmin):
    list_display = (
        "changed_at",
        "change_type",
        "conflict",
        "old_status",
        "new_status",
        "changed_by",
    )
    search_fields = ("changed_by", "notes")
    list_filter = ("change_type", "changed_at")
    date_hierarchy = "changed_at"


@admin.register(models.ConflictResolution)
class ConflictResolutionAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "conflict", "resolved_by", "preferred_source_id", "resolved_at")
    search_fields = ("resolution", "resolved_by")
    list_filter = ("resolved_at",)


@admin.register(models.Conflict)
class ConflictAdmin(AmericanoModelAdmin):
    list_display = ("description", "concept", "conflict_type", "severity", "status", "created_at")
    search_fields = ("description", "concept__name")
    list_filter = ("status", "severity", "conflict_type", "created_at")


@admin.register(models.Source)
class SourceAdmin(AmericanoModelAdmin):
    list_display = ("name", "type", "credibility_score", "medical_specialty", "last_updated")
    search_fields = ("name", "medical_specialty")
    list_filter = ("type",)


@admin.register(models.UserSourcePreference)
class UserSourcePreferenceAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "source", "user_id", "trust_level", "priority")
    search_fields = ("user_id__exact", "source__name")
    list_filter = ("trust_level",)


@admin.register(models.FirstAidSection)
class FirstAidSectionAdmin(AmericanoModelAdmin):
    list_display = ("section", "system", "subsection", "edition", "page_number", "is_high_yield")
    search_fields = ("system", "section", "subsection", "content")
    list_filter = ("is_high_yield",)


@admin.register(models.LectureFirstAidMapping)
class LectureFirstAidMappingAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "first_aid_section", "lecture_id", "confidence", "priority")
    search_fields = ("lecture_id__exact", "first_aid_section__section")
    list_filter = ("created_at",)


@admin.register(models.ContentRecommendation)
class ContentRecommendationAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "recommended_content", "user_id", "status", "score", "created_at")
    search_fields = ("user_id__exact", "reasoning")
    list_filter = ("status", "source_type", "created_at")


@admin.register(models.RecommendationAnalytics)
class RecommendationAnalyticsAdmin(ReadOnlyModelAdmin):
    list_display = ("date", "user_id", "total_recommendations", "clicked_count")
    search_fields = ("user_id__exact",)
    list_filter = ("date",)
    date_hierarchy = "date"


@admin.register(models.RecommendationFeedback)
class RecommendationFeedbackAdmin(AmericanoModelAdmin):
    list_display = ("__str__", "recommendation", "user_id", "rating", "helpful", "created_at")
    search_fields = ("feedback_text", "user_id__exact")
    list_filter = ("helpful", "created_at")


@admin.register(models.SearchClick)
class SearchClickAdmin(ReadOnlyModelAdmin):
    list_display = ("timestamp", "search_query", "user_id", "result_type", "position")
    search_fields = ("user_id__exact", "result_id__exact")
    list_filter = ("timestamp",)
    date_hierarchy = "timestamp"


@admin.register(models.SearchQuery)
class SearchQueryAdmin(ReadOnlyModelAdmin):
    list_display = ("query", "user_id", "result_count", "response_time_ms", "timestamp")
    search_fields = ("query", "user_id__exact")
    list_filter = ("is_anonymized", "timestamp")
    date_hierarchy = "timestamp"


@admin.register(models.SavedSearch)
class SavedSearchAdmin(AmericanoModelAdmin):
    list_display = ("name", "query", "user_id", "alert_enabled", "alert_frequency", "last_used")
    search_fields = ("name", "query", "user_id__exact")
    list_filter = ("alert_enabled", "alert_frequency")


@admin.register(models.SearchSuggestion)
class SearchSuggestionAdmin(AmericanoModelAdmin):
    list_display = ("term", "suggestion_type", "frequency", "last_used")
    search_fields = ("term",)
    list_filter = ("suggestion_type", "last_used")


@admin.register(models.SearchAlert)
class SearchAlertAdmin(AmericanoModelAdmin):
    list_display = (
        "__str__",
        "saved_search",
        "user_id",
        "new_result_count",
        "viewed",
        "created_at",
    )
    search_fields = ("user_id__exact", "triggered_by")
    list_filter = ("notification_sent", "viewed", "created_at")


@admin.register(models.SearchAnalytics)
class SearchAnalyticsAdmin(ReadOnlyModelAdmin):
    list_display = ("query", "user_id", "date", "search_count", "zero_result_count")
    search_fields = ("query", "user_id__exact")
    list_filter = ("date",)
    date_hierarchy = "date"
