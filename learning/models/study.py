from django.db import models

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from learning.enums import CardType, ReviewRating


class Card(CuidModel):
    course = ForeignKey(
        "Course", on_delete=models.CASCADE, db_column="courseId", related_name="cards"
    )
    lecture = ForeignKey(
        "Lecture",
        on_delete=models.SET_NULL,
        db_column="lectureId",
        related_name="cards",
        null=True,
        blank=True,
    )
    objective = ForeignKey(
        "LearningObjective",
        on_delete=models.SET_NULL,
        db_column="objectiveId",
        related_name="cards",
        null=True,
        blank=True,
    )
    front = models.TextField()
    back = models.TextField()
    card_type = EnumField(
        CardType,
        db_column="cardType",
        default=CardType.BASIC,
        db_default=CardType.BASIC,
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    difficulty = models.FloatField(default=0, db_default=0)
    stability = models.FloatField(default=0, db_default=0)
    retrievability = models.FloatField(default=0, db_default=0)
    last_reviewed_at = TimestampField(db_column="lastReviewedAt", null=True, blank=True)
    next_review_at = TimestampField(db_column="nextReviewAt", null=True, blank=True)
    review_count = models.IntegerField(db_column="reviewCount", default=0, db_default=0)
    lapse_count = models.IntegerField(db_column="lapseCount", default=0, db_default=0)

    prose_fields = frozenset({"front", "back"})

    class Meta:
        db_table = "cards"
        indexes = [
            PrismaIndex(fields=["course"], name="cards_courseId_idx"),
            PrismaIndex(fields=["next_review_at"], name="cards_nextReviewAt_idx"),
        ]

    def __str__(self) -> str:
        return self.front[:80]


class Review(CuidModel):
    user = ForeignKey("User", on_delete=models.CASCADE, db_column="userId", related_name="reviews")
    card = ForeignKey("Card", on_delete=models.CASCADE, db_column="cardId", related_name="reviews")
    session = ForeignKey(
        "StudySession",
        on_delete=models.SET_NULL,
        db_column="sessionId",
        related_name="reviews",
        null=True,
        blank=True,
    )
    rating = EnumField(ReviewRating)
    time_spent_ms = models.IntegerField(db_column="timeSpentMs")
    reviewed_at = TimestampField(db_column="reviewedAt", db_default=CurrentTimestamp())
    difficulty_before = models.FloatField(db_column="difficultyBefore")
    stability_before = models.FloatField(db_column="stabilityBefore")
    difficulty_after = models.FloatField(db_column="difficultyAfter")
    stability_after = models.FloatField(db_column="stabilityAfter")

    class Meta:
        db_table = "reviews"
        indexes = [
            PrismaIndex(fields=["user"], name="reviews_userId_idx"),
            PrismaIndex(fields=["card"], name="reviews_cardId_idx"),
            PrismaIndex(fields=["reviewed_at"], name="reviews_reviewedAt_idx"),
        ]

    def __str__(self) -> str:
        return f"Review {self.rating} of {self.user_id}"


class StudySession(CuidModel):
    user = ForeignKey(
        "User",
        on_delete=models.CASCADE,
        db_column="userId",
        related_name="study_sessions",
    )
    mission = ForeignKey(
        "Mission",
        on_delete=models.SET_NULL,
        db_column="missionId",
        related_name="study_sessions",
        null=True,
        blank=True,
    )
    started_at = TimestampField(db_column="startedAt", db_default=CurrentTimestamp())
    completed_at = TimestampField(db_column="completedAt", null=True, blank=True)
    duration_ms = models.IntegerField(db_column="durationMs", null=True, blank=True)
    reviews_completed = models.IntegerField(db_column="reviewsCompleted", default=0, db_default=0)
    new_cards_studied = models.IntegerField(db_column="newCardsStudied", default=0, db_default=0)
    session_notes = models.TextField(db_column="sessionNotes", null=True, blank=True)
    current_objective_index = models.IntegerField(
        db_column="currentObjectiveIndex", default=0, db_default=0
    )
    mission_objectives = models.JSONField(db_column="missionObjectives", null=True, blank=True)
    objective_completions = models.JSONField(
        db_column="objectiveCompletions", null=True, blank=True
    )

    prose_fields = frozenset({"session_notes"})

    class Meta:
        db_table = "study_sessions"
        indexes = [
            PrismaIndex(fields=["user"], name="study_sessions_userId_idx"),
            PrismaIndex(fields=["started_at"], name="study_sessions_startedAt_idx"),
        ]

    def __str__(self) -> str:
        return f"Study session of {self.user_id}"
