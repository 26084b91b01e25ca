from django.db import models
from django.db.models import Value

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from content.enums import AlertFrequency, SuggestionType


class SearchClick(CuidModel):
    search_query = ForeignKey(
        "SearchQuery",
        on_delete=models.CASCADE,
        db_column="searchQueryId",
        related_name="search_clicks",
    )
    user_id = models.TextField(db_column="userId")
    result_id = models.TextField(db_column="resultId")
    result_type = models.TextField(db_column="resultType")
    position = models.IntegerField()
    similarity = models.FloatField(null=True, blank=True)
    timestamp = TimestampField(db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "search_clicks"
        indexes = [
            PrismaIndex(
                fields=["result_id", "result_type"],
                name="search_clicks_resultId_resultType_idx",
            ),
            PrismaIndex(fields=["search_query"], name="search_clicks_searchQueryId_idx"),
            PrismaIndex(
                fields=["user_id", "timestamp"],
                name="search_clicks_userId_timestamp_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Search click of {self.search_query_id}"


class SearchQuery(CuidModel):
    user_id = models.TextField(db_column="userId")
    query = models.TextField()
    filters = models.JSONField(null=True, blank=True)
    result_count = models.IntegerField(db_column="resultCount", default=0, db_default=0)
    top_result_id = models.TextField(db_column="topResultId", null=True, blank=True)
    response_time_ms = models.IntegerField(db_column="responseTimeMs", null=True, blank=True)
    timestamp = TimestampField(db_default=CurrentTimestamp())
    is_anonymized = models.BooleanField(db_column="isAnonymized", default=False, db_default=False)
    anonymized_at = TimestampField(db_column="anonymizedAt", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "search_queries"
        verbose_name_plural = "search queries"
        indexes = [
            PrismaIndex(fields=["is_anonymized"], name="search_queries_isAnonymized_idx"),
            PrismaIndex(fields=["timestamp"], name="search_queries_timestamp_idx"),
            PrismaIndex(
                fields=["user_id", "timestamp"],
                name="search_queries_userId_timestamp_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.query


class SavedSearch(CuidModel):
    user_id = models.TextField(db_column="userId")
    name = models.TextField()
    query = models.TextField()
    filters = models.JSONField(default=dict, db_default=Value({}, output_field=models.JSONField()))
    alert_enabled = models.BooleanField(db_column="alertEnabled", default=False, db_default=False)
    alert_frequency = EnumField(
        AlertFrequency,
        db_column="alertFrequency",
        default=AlertFrequency.WEEKLY,
        db_default=AlertFrequency.WEEKLY,
    )
    last_run = TimestampField(db_column="lastRun", null=True, blank=True)
    result_count = models.IntegerField(db_column="resultCount", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)
    use_count = models.IntegerField(db_column="useCount", default=0, db_default=0)
    last_used = TimestampField(db_column="lastUsed", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "saved_searches"
        verbose_name_plural = "saved searches"
        indexes = [
            PrismaIndex(fields=["user_id"], name="saved_searches_userId_idx"),
            PrismaIndex(fields=["created_at"], name="saved_searches_createdAt_idx"),
            PrismaIndex(fields=["last_used"], name="saved_searches_lastUsed_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class SearchSuggestion(CuidModel):
    term = models.TextField(unique=True)
    suggestion_type = EnumField(SuggestionType, db_column="suggestionType")
    frequency = models.IntegerField(default=1, db_default=1)
    last_used = TimestampField(db_column="lastUsed", db_default=CurrentTimestamp())
    metadata = models.JSONField(null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    class Meta:
        db_table = "search_suggestions"
        indexes = [
            PrismaIndex(
                fields=["term", "frequency"],
                name="search_suggestions_term_frequency_idx",
            ),
            PrismaIndex(fields=["suggestion_type"], name="search_suggestions_suggestionType_idx"),
            PrismaIndex(fields=["last_used"], name="search_suggestions_lastUsed_idx"),
        ]

    def __str__(self) -> str:
        return self.term


class SearchAlert(CuidModel):
    saved_search = ForeignKey(
        "SavedSearch",
        on_delete=models.CASCADE,
        db_column="savedSearchId",
        related_name="search_alerts",
    )
    user_id = models.TextField(db_column="userId")
    triggered_by = models.TextField(db_column="triggeredBy")
    triggered_type = models.TextField(db_column="triggeredType")
    new_result_count = models.IntegerField(db_column="newResultCount")
    last_notified = TimestampField(db_column="lastNotified", db_default=CurrentTimestamp())
    notification_sent = models.BooleanField(
        db_column="notificationSent", default=False, db_default=False
    )
    viewed = models.BooleanField(default=False, db_default=False)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "search_alerts"
        indexes = [
            PrismaIndex(fields=["saved_search"], name="search_alerts_savedSearchId_idx"),
            PrismaIndex(fields=["user_id"], name="search_alerts_userId_idx"),
            PrismaIndex(fields=["notification_sent"], name="search_alerts_notificationSent_idx"),
            PrismaIndex(fields=["created_at"], name="search_alerts_createdAt_idx"),
            PrismaIndex(fields=["viewed"], name="search_alerts_viewed_idx"),
        ]

    def __str__(self) -> str:
        return f"Search alert of {self.saved_search_id}"


class SearchAnalytics(CuidModel):
    user_id = models.TextField(db_column="userId", null=True, blank=True)
    date = TimestampField(db_default=CurrentTimestamp())
    query = models.TextField()
    search_count = models.IntegerField(db_column="searchCount", default=1, db_default=1)
    avg_result_count = models.FloatField(db_column="avgResultCount")
    avg_similarity = models.FloatField(db_column="avgSimilarity", null=True, blank=True)
    avg_click_position = models.FloatField(db_column="avgClickPosition", null=True, blank=True)
    zero_result_count = models.IntegerField(db_column="zeroResultCount", default=0, db_default=0)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "search_analytics"
        verbose_name_plural = "search analytics"
        indexes = [
            PrismaIndex(fields=["user_id", "date"], name="search_analytics_userId_date_idx"),
            PrismaIndex(fields=["date"], name="search_analytics_date_idx"),
            PrismaIndex(fields=["query"], name="search_analytics_query_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "date", "query"],
                name="search_analytics_userId_date_query_key",
            ),
        ]

    def __str__(self) -> str:
        return self.query
