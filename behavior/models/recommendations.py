from django.contrib.postgres.fields import ArrayField
from django.db import models

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from behavior.enums import (
    ApplicationType,
    ArticleCategory,
    BehavioralGoalType,
    GoalStatus,
    NotificationPriority,
    NotificationType,
    RecommendationType,
)
from content.enums import RecommendationStatus


class LearningArticle(CuidModel):
    slug = models.TextField(unique=True)
    title = models.TextField()
    category = EnumField(ArticleCategory)
    summary = models.TextField()
    content = models.TextField()
    personalized_sections = models.JSONField(
        db_column="personalizedSections", null=True, blank=True
    )
    external_links = models.JSONField(db_column="externalLinks", null=True, blank=True)
    reading_time_minutes = models.IntegerField(
        db_column="readingTimeMinutes", default=5, db_default=5
    )
    difficulty = models.TextField(default="BEGINNER", db_default="BEGINNER")
    tags = ArrayField(models.TextField(), null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)
    published_at = TimestampField(db_column="publishedAt", db_default=CurrentTimestamp())

    prose_fields = frozenset({"summary", "content"})

    class Meta:
        db_table = "learning_articles"
        indexes = [
            PrismaIndex(fields=["category"], name="learning_articles_category_idx"),
            PrismaIndex(fields=["slug"], name="learning_articles_slug_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleRead(CuidModel):
    user_id = models.TextField(db_column="userId")
    article = ForeignKey(
        "LearningArticle",
        on_delete=models.CASCADE,
        db_column="articleId",
        related_name="article_reads",
    )
    read_at = TimestampField(db_column="readAt", db_default=CurrentTimestamp())
    read_duration_seconds = models.IntegerField(
        db_column="readDurationSeconds", null=True, blank=True
    )
    completed_read = models.BooleanField(db_column="completedRead", default=False, db_default=False)
    helpful = models.BooleanField(null=True, blank=True)
    rating = models.IntegerField(null=True, blank=True)
    feedback = models.TextField(null=True, blank=True)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"feedback"})

    class Meta:
        db_table = "article_reads"
        indexes = [
            PrismaIndex(fields=["user_id"], name="article_reads_userId_idx"),
            PrismaIndex(fields=["article"], name="article_reads_articleId_idx"),
            PrismaIndex(fields=["read_at"], name="article_reads_readAt_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "article"], name="article_reads_userId_articleId_key"
            ),
        ]

    def __str__(self) -> str:
        return f"Article read of {self.article_id}"


class Recommendation(CuidModel):
    user_id = models.TextField(db_column="userId")
    recommendation_type = EnumField(RecommendationType, db_column="recommendationType")
    title = models.TextField()
    description = models.TextField()
    actionable_text = models.TextField(db_column="actionableText")
    confidence = models.FloatField()
    estimated_impact = models.FloatField(db_column="estimatedImpact")
    ease_of_implementation = models.FloatField(db_column="easeOfImplementation")
    user_readiness = models.FloatField(db_column="userReadiness")
    priority_score = models.FloatField(db_column="priorityScore")
    status = EnumField(
        RecommendationStatus,
        default=RecommendationStatus.PENDING,
        db_default=RecommendationStatus.PENDING,
    )
    source_pattern_ids = ArrayField(
        models.TextField(), db_column="sourcePatternIds", null=True, blank=True
    )
    source_insight_ids = ArrayField(
        models.TextField(), db_column="sourceInsightIds", null=True, blank=True
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    applied_at = TimestampField(db_column="appliedAt", null=True, blank=True)
    dismissed_at = TimestampField(db_column="dismissedAt", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"description", "actionable_text"})

    class Meta:
        db_table = "recommendations"
        indexes = [
            PrismaIndex(fields=["user_id"], name="recommendations_userId_idx"),
            PrismaIndex(fields=["status"], name="recommendations_status_idx"),
            PrismaIndex(
                fields=["recommendation_type"],
                name="recommendations_recommendationType_idx",
            ),
            PrismaIndex(fields=["priority_score"], name="recommendations_priorityScore_idx"),
            PrismaIndex(
                fields=["user_id", "status", "priority_score"],
                name="recommendations_userId_status_priorityScore_idx",
            ),
            PrismaIndex(
                fields=["user_id", "created_at"],
                name="recommendations_userId_createdAt_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AppliedRecommendation(CuidModel):
    recommendation = ForeignKey(
        "Recommendation",
        on_delete=models.CASCADE,
        db_column="recommendationId",
        related_name="applied_recommendations",
    )
    user_id = models.TextField(db_column="userId")
    application_type = EnumField(ApplicationType, db_column="applicationType")
    baseline_metrics = models.JSONField(db_column="baselineMetrics")
    current_metrics = models.JSONField(db_column="currentMetrics", null=True, blank=True)
    effectiveness = models.FloatField(null=True, blank=True)
    applied_at = TimestampField(db_column="appliedAt", db_default=CurrentTimestamp())
    evaluated_at = TimestampField(db_column="evaluatedAt", null=True, blank=True)

    soft_references = {"user_id": "learning.User"}

    class Meta:
        db_table = "applied_recommendations"
        indexes = [
            PrismaIndex(fields=["user_id"], name="applied_recommendations_userId_idx"),
            PrismaIndex(
                fields=["recommendation"],
                name="applied_recommendations_recommendationId_idx",
            ),
            PrismaIndex(
                fields=["application_type"],
                name="applied_recommendations_applicationType_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Applied recommendation {self.application_type} of {self.recommendation_id}"


class BehavioralGoal(CuidModel):
    user_id = models.TextField(db_column="userId")
    goal_type = EnumField(BehavioralGoalType, db_column="goalType")
    title = models.TextField()
    description = models.TextField()
    target_metric = models.TextField(db_column="targetMetric")
    current_value = models.FloatField(db_column="currentValue")
    target_value = models.FloatField(db_column="targetValue")
    deadline = TimestampField()
    status = EnumField(GoalStatus, default=GoalStatus.ACTIVE, db_default=GoalStatus.ACTIVE)
    progress_history = models.JSONField(db_column="progressHistory")
    completed_at = TimestampField(db_column="completedAt", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"description"})

    class Meta:
        db_table = "behavioral_goals"
        indexes = [
            PrismaIndex(fields=["user_id"], name="behavioral_goals_userId_idx"),
            PrismaIndex(fields=["status"], name="behavioral_goals_status_idx"),
            PrismaIndex(fields=["deadline"], name="behavioral_goals_deadline_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class InsightNotification(CuidModel):
    user_id = models.TextField(db_column="userId")
    notification_type = EnumField(NotificationType, db_column="notificationType")
    title = models.TextField()
    message = models.TextField()
    priority = EnumField(
        NotificationPriority,
        default=NotificationPriority.NORMAL,
        db_default=NotificationPriority.NORMAL,
    )
    related_entity_id = models.TextField(db_column="relatedEntityId", null=True, blank=True)
    related_entity_type = models.TextField(db_column="relatedEntityType", null=True, blank=True)
    read_at = TimestampField(db_column="readAt", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"message"})

    class Meta:
        db_table = "insight_notifications"
        indexes = [
            PrismaIndex(fields=["user_id"], name="insight_notifications_userId_idx"),
            PrismaIndex(
                fields=["notification_type"],
                name="insight_notifications_notificationType_idx",
            ),
            PrismaIndex(fields=["read_at"], name="insight_notifications_readAt_idx"),
        ]

    def __str__(self) -> str:
        return self.title
