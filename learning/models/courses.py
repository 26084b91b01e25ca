from django.contrib.postgres.fields import ArrayField
from django.db import models

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from learning.enums import (
    FeedbackRating,
    MasteryLevel,
    ObjectiveComplexity,
    PriorityLevel,
    ProcessingStatus,
)


class Course(CuidModel):
    user = ForeignKey("User", on_delete=models.CASCADE, db_column="userId", related_name="courses")
    name = models.TextField()
    code = models.TextField(null=True, blank=True)
    term = models.TextField(null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)
    color = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "courses"
        indexes = [
            PrismaIndex(fields=["user"], name="courses_userId_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Lecture(CuidModel):
    user = ForeignKey("User", on_delete=models.CASCADE, db_column="userId", related_name="lectures")
    course = ForeignKey(
        "Course",
        on_delete=models.CASCADE,
        db_column="courseId",
        related_name="lectures",
    )
    title = models.TextField()
    file_name = models.TextField(db_column="fileName")
    file_url = models.TextField(db_column="fileUrl")
    file_size = models.IntegerField(db_column="fileSize")
    processing_status = EnumField(
        ProcessingStatus,
        db_column="processingStatus",
        default=ProcessingStatus.PENDING,
        db_default=ProcessingStatus.PENDING,
    )
    uploaded_at = TimestampField(db_column="uploadedAt", db_default=CurrentTimestamp())
    processed_at = TimestampField(db_column="processedAt", null=True, blank=True)
    week_number = models.IntegerField(db_column="weekNumber", null=True, blank=True)
    topic_tags = ArrayField(models.TextField(), db_column="topicTags", null=True, blank=True)
    estimated_completion_at = TimestampField(
        db_column="estimatedCompletionAt", null=True, blank=True
    )
    processed_pages = models.IntegerField(db_column="processedPages", default=0, db_default=0)
    processing_progress = models.IntegerField(
        db_column="processingProgress", default=0, db_default=0
    )
    processing_started_at = TimestampField(db_column="processingStartedAt", null=True, blank=True)
    total_pages = models.IntegerField(db_column="totalPages", null=True, blank=True)
    embedding_progress = models.FloatField(db_column="embeddingProgress", default=0, db_default=0)

    class Meta:
        db_table = "lectures"
        indexes = [
            PrismaIndex(fields=["user"], name="lectures_userId_idx"),
            PrismaIndex(fields=["course"], name="lectures_courseId_idx"),
            PrismaIndex(fields=["processing_status"], name="lectures_processingStatus_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class LearningObjective(CuidModel):
    lecture = ForeignKey(
        "Lecture",
        on_delete=models.CASCADE,
        db_column="lectureId",
        related_name="learning_objectives",
    )
    objective = models.TextField()
    is_high_yield = models.BooleanField(db_column="isHighYield", default=False, db_default=False)
    extracted_by = models.TextField(db_column="extractedBy", default="gpt-5", db_default="gpt-5")
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    complexity = EnumField(
        ObjectiveComplexity,
        default=ObjectiveComplexity.INTERMEDIATE,
        db_default=ObjectiveComplexity.INTERMEDIATE,
    )
    board_exam_tags = ArrayField(
        models.TextField(), db_column="boardExamTags", null=True, blank=True
    )
    page_start = models.IntegerField(db_column="pageStart", null=True, blank=True)
    page_end = models.IntegerField(db_column="pageEnd", null=True, blank=True)
    last_studied_at = TimestampField(db_column="lastStudiedAt", null=True, blank=True)
    mastery_level = EnumField(
        MasteryLevel,
        db_column="masteryLevel",
        default=MasteryLevel.NOT_STARTED,
        db_default=MasteryLevel.NOT_STARTED,
    )
    total_study_time_ms = models.IntegerField(db_column="totalStudyTimeMs", default=0, db_default=0)
    weakness_score = models.FloatField(db_column="weaknessScore", default=0.5, db_default=0.5)

    prose_fields = frozenset({"objective"})

    class Meta:
        db_table = "learning_objectives"
        indexes = [
            PrismaIndex(fields=["lecture"], name="learning_objectives_lectureId_idx"),
            PrismaIndex(fields=["is_high_yield"], name="learning_objectives_isHighYield_idx"),
            PrismaIndex(fields=["complexity"], name="learning_objectives_complexity_idx"),
            PrismaIndex(fields=["mastery_level"], name="learning_objectives_masteryLevel_idx"),
            PrismaIndex(fields=["weakness_score"], name="learning_objectives_weaknessScore_idx"),
        ]

    def __str__(self) -> str:
        return f"Learning objective {self.complexity} of {self.lecture_id}"


class ObjectivePrerequisite(CuidModel):
    objective = ForeignKey(
        "LearningObjective",
        on_delete=models.CASCADE,
        db_column="objectiveId",
        related_name="prerequisite_links",
    )
    prerequisite = ForeignKey(
        "LearningObjective",
        on_delete=models.CASCADE,
        db_column="prerequisiteId",
        related_name="dependent_links",
    )
    strength = models.FloatField(default=1.0, db_default=1.0)

    class Meta:
        db_table = "objective_prerequisites"
        indexes = [
            PrismaIndex(fields=["objective"], name="objective_prerequisites_objectiveId_idx"),
            PrismaIndex(
                fields=["prerequisite"],
                name="objective_prerequisites_prerequisiteId_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "prerequisite"],
                name="objective_prerequisites_objectiveId_prerequisiteId_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Objective prerequisite of {self.objective_id}"


class Exam(CuidModel):
    user = ForeignKey("User", on_delete=models.CASCADE, db_column="userId", related_name="exams")
    name = models.TextField()
    date = TimestampField()
    course = ForeignKey(
        "Course", on_delete=models.CASCADE, db_column="courseId", related_name="exams"
    )
    coverage_topics = ArrayField(
        models.TextField(), db_column="coverageTopics", null=True, blank=True
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    class Meta:
        db_table = "exams"
        indexes = [
            PrismaIndex(fields=["user", "date"], name="exams_userId_date_idx"),
            PrismaIndex(fields=["course"], name="exams_courseId_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class CoursePriority(CuidModel):
    user = ForeignKey(
        "User",
        on_delete=models.CASCADE,
        db_column="userId",
        related_name="course_priorities",
    )
    course = ForeignKey(
        "Course",
        on_delete=models.CASCADE,
        db_column="courseId",
        related_name="course_priorities",
    )
    priority_level = EnumField(
        PriorityLevel,
        db_column="priorityLevel",
        default=PriorityLevel.MEDIUM,
        db_default=PriorityLevel.MEDIUM,
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    class Meta:
        db_table = "course_priorities"
        verbose_name_plural = "course priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="course_priorities_userId_courseId_key"
            ),
        ]

    def __str__(self) -> str:
        return f"Course priority {self.priority_level} of {self.user_id}"


class PriorityFeedback(CuidModel):
    user_id = models.TextField(db_column="userId")
    objective = ForeignKey(
        "LearningObjective",
        on_delete=models.CASCADE,
        db_column="objectiveId",
        related_name="priority_feedback",
    )
    suggested_priority = models.FloatField(db_column="suggestedPriority")
    user_feedback = EnumField(FeedbackRating, db_column="userFeedback")
    notes = models.TextField(null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"notes"})

    class Meta:
        db_table = "priority_feedback"
        verbose_name_plural = "priority feedback"
        indexes = [
            PrismaIndex(fields=["user_id"], name="priority_feedback_userId_idx"),
            PrismaIndex(fields=["objective"], name="priority_feedback_objectiveId_idx"),
        ]

    def __str__(self) -> str:
        return f"Priority feedback {self.user_feedback} of {self.objective_id}"
