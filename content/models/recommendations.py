from django.db import models

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from content.enums import ContentSourceType, RecommendationStatus


class ContentRecommendation(CuidModel):
    user_id = models.TextField(db_column="userId")
    recommended_content = ForeignKey(
        "ContentChunk",
        on_delete=models.CASCADE,
        db_column="recommendedContentId",
        related_name="recommendations",
    )
    source_content = ForeignKey(
        "ContentChunk",
        on_delete=models.SET_NULL,
        db_column="sourceContentId",
        related_name="recommendations_from_here",
        null=True,
        blank=True,
    )
    score = models.FloatField()
    reasoning = models.TextField()
    status = EnumField(
        RecommendationStatus,
        default=RecommendationStatus.PENDING,
        db_default=RecommendationStatus.PENDING,
    )
    context_type = models.TextField(db_column="contextType")
    context_id = models.TextField(db_column="contextId")
    source_type = EnumField(ContentSourceType, db_column="sourceType")
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    viewed_at = TimestampField(db_column="viewedAt", null=True, blank=True)
    dismissed_at = TimestampField(db_column="dismissedAt", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"reasoning"})
    prisma_model = "content_recommendations"  # its name in Prisma's schema

    class Meta:
        db_table = "content_recommendations"
        indexes = [
            PrismaIndex(
                fields=["context_type", "context_id"],
                name="content_recommendations_contextType_contextId_idx",
            ),
            PrismaIndex(fields=["created_at"], name="content_recommendations_createdAt_idx"),
            PrismaIndex(fields=["status"], name="content_recommendations_status_idx"),
            PrismaIndex(
                fields=["user_id", "context_type", "context_id"],
                name="content_recommendations_userId_contextType_contextId_idx",
            ),
            PrismaIndex(fields=["user_id"], name="content_recommendations_userId_idx"),
        ]

    def __str__(self) -> str:
        return f"Content recommendation {self.status} of {self.recommended_content_id}"


class RecommendationAnalytics(CuidModel):
    user_id = models.TextField(db_column="userId")
    date = TimestampField(db_default=CurrentTimestamp())
    total_recommendations = models.IntegerField(db_column="totalRecommendations")
    viewed_count = models.IntegerField(db_column="viewedCount")
    clicked_count = models.IntegerField(db_column="clickedCount")
    dismissed_count = models.IntegerField(db_column="dismissedCount")
    avg_rating = models.FloatField(db_column="avgRating", null=True, blank=True)
    avg_engagement_time_ms = models.IntegerField(
        db_column="avgEngagementTimeMs", null=True, blank=True
    )
    top_source_types = models.JSONField(db_column="topSourceTypes")

    soft_references = {"user_id": "learning.User"}
    prisma_model = "recommendation_analytics"  # its name in Prisma's schema

    class Meta:
        db_table = "recommendation_analytics"
        verbose_name_plural = "recommendation analytics"
        indexes = [
            PrismaIndex(fields=["date"], name="recommendation_analytics_date_idx"),
            PrismaIndex(fields=["user_id"], name="recommendation_analytics_userId_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "date"],
                name="recommendation_analytics_userId_date_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Recommendation analytics of {self.user_id}"


class RecommendationFeedback(CuidModel):
    recommendation = ForeignKey(
        "ContentRecommendation",
        on_delete=models.CASCADE,
        db_column="recommendationId",
        related_name="recommendation_feedback",
    )
    user_id = models.TextField(db_column="userId")
    rating = models.IntegerField()
    feedback_text = models.TextField(db_column="feedbackText", null=True, blank=True)
    helpful = models.BooleanField(null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"feedback_text"})
    prisma_model = "recommendation_feedback"  # its name in Prisma's schema

    class Meta:
        db_table = "recommendation_feedback"
        verbose_name_plural = "recommendation feedback"
        indexes = [
            PrismaIndex(fields=["created_at"], name="recommendation_feedback_createdAt_idx"),
            PrismaIndex(
                fields=["recommendation"],
                name="recommendation_feedback_recommendationId_idx",
            ),
            PrismaIndex(fields=["user_id"], name="recommendation_feedback_userId_idx"),
        ]

    def __str__(self) -> str:
        return f"Recommendation feedback of {self.recommendation_id}"
