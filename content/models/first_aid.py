from django.db import models

from americano.db.fields import ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel


class FirstAidSection(CuidModel):
    edition = models.TextField()
    year = models.IntegerField()
    system = models.TextField()
    section = models.TextField()
    subsection = models.TextField(null=True, blank=True)
    page_number = models.IntegerField(db_column="pageNumber")
    content = models.TextField()
    is_high_yield = models.BooleanField(db_column="isHighYield", default=False, db_default=False)
    mnemonics = models.JSONField(null=True, blank=True)
    clinical_correlations = models.JSONField(
        db_column="clinicalCorrelations", null=True, blank=True
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    prose_fields = frozenset({"content"})

    class Meta:
        db_table = "first_aid_sections"
        indexes = [
            PrismaIndex(fields=["system"], name="first_aid_sections_system_idx"),
            PrismaIndex(fields=["is_high_yield"], name="first_aid_sections_isHighYield_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.system}: {self.section} (p. {self.page_number})"


class LectureFirstAidMapping(CuidModel):
    lecture_id = models.TextField(db_column="lectureId")
    first_aid_section = ForeignKey(
        "FirstAidSection",
        on_delete=models.CASCADE,
        db_column="firstAidSectionId",
        related_name="lecture_first_aid_mappings",
    )
    confidence = models.FloatField()
    mapping_rationale = models.TextField(db_column="mappingRationale", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)
    priority = models.IntegerField(default=5, db_default=5, null=True, blank=True)
    rationale = models.TextField(null=True, blank=True)
    user_feedback = models.JSONField(db_column="userFeedback", null=True, blank=True)

    soft_references = {"lecture_id": "learning.Lecture"}
    prose_fields = frozenset({"mapping_rationale", "rationale"})

    class Meta:
        db_table = "lecture_first_aid_mappings"
        indexes = [
            PrismaIndex(fields=["lecture_id"], name="lecture_first_aid_mappings_lectureId_idx"),
            PrismaIndex(
                fields=["first_aid_section"],
                name="lecture_first_aid_mappings_firstAidSectionId_idx",
            ),
            PrismaIndex(fields=["confidence"], name="lecture_first_aid_mappings_confidence_idx"),
            PrismaIndex(fields=["priority"], name="lecture_first_aid_mappings_priority_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lecture_id", "first_aid_section"],
                name="lecture_first_aid_mappings_lectureId_firstAidSectionId_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Lecture first aid mapping of {self.first_aid_section_id}"
