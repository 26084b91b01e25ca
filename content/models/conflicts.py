from django.db import models
from django.utils.text import Truncator

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from content.enums import (
    ChangeType,
    ConflictSeverity,
    ConflictStatus,
    ConflictType,
    SourceType,
    TrustLevel,
)


class ConflictFlag(CuidModel):
    conflict = ForeignKey(
        "Conflict",
        on_delete=models.SET_NULL,
        db_column="conflictId",
        related_name="conflict_flags",
        null=True,
        blank=True,
    )
    user_id = models.TextField(db_column="userId")
    source_a_chunk_id = models.TextField(db_column="sourceAChunkId")
    source_b_chunk_id = models.TextField(db_column="sourceBChunkId")
    description = models.TextField()
    user_notes = models.TextField(db_column="userNotes", null=True, blank=True)
    flagged_at = TimestampField(db_column="flaggedAt", db_default=CurrentTimestamp())
    status = models.TextField(default="PENDING", db_default="PENDING")

    soft_references = {
        "user_id": "learning.User",
        "source_a_chunk_id": "content.ContentChunk",
        "source_b_chunk_id": "content.ContentChunk",
    }
    prose_fields = frozenset({"description", "user_notes"})
    prisma_model = "conflict_flags"  # its name in Prisma's schema

    class Meta:
        db_table = "conflict_flags"
        indexes = [
            PrismaIndex(fields=["flagged_at"], name="conflict_flags_flaggedAt_idx"),
            PrismaIndex(fields=["status"], name="conflict_flags_status_idx"),
            PrismaIndex(fields=["user_id"], name="conflict_flags_userId_idx"),
        ]

    def __str__(self) -> str:
        return Truncator(self.description).chars(80)


class ConflictHistory(CuidModel):
    conflict = ForeignKey(
        "Conflict",
        on_delete=models.CASCADE,
        db_column="conflictId",
        related_name="conflict_histories",
    )
    change_type = EnumField(ChangeType, db_column="changeType")
    old_status = EnumField(ConflictStatus, db_column="oldStatus", null=True, blank=True)
    new_status = EnumField(ConflictStatus, db_column="newStatus", null=True, blank=True)
    changed_by = models.TextField(db_column="changedBy")
    changed_at = TimestampField(db_column="changedAt", db_default=CurrentTimestamp())
    notes = models.TextField(null=True, blank=True)

    prose_fields = frozenset({"notes"})
    prisma_model = "conflict_history"  # its name in Prisma's schema

    class Meta:
        db_table = "conflict_history"
        verbose_name_plural = "conflict history"
        indexes = [
            PrismaIndex(fields=["changed_at"], name="conflict_history_changedAt_idx"),
            PrismaIndex(fields=["conflict"], name="conflict_history_conflictId_idx"),
        ]

    def __str__(self) -> str:
        return f"Conflict history {self.change_type} of {self.conflict_id}"


class ConflictResolution(CuidModel):
    conflict = ForeignKey(
        "Conflict",
        on_delete=models.CASCADE,
        db_column="conflictId",
        related_name="conflict_resolutions",
    )
    resolved_by = models.TextField(db_column="resolvedBy")
    resolution = models.TextField()
    preferred_source_id = models.TextField(db_column="preferredSourceId", null=True, blank=True)
    evidence = models.TextField(null=True, blank=True)
    resolved_at = TimestampField(db_column="resolvedAt", db_default=CurrentTimestamp())
    notes = models.TextField(null=True, blank=True)

    soft_references = {"preferred_source_id": "content.Source"}
    prose_fields = frozenset({"resolution", "evidence", "notes"})
    prisma_model = "conflict_resolutions"  # its name in Prisma's schema

    class Meta:
        db_table = "conflict_resolutions"
        indexes = [
            PrismaIndex(fields=["conflict"], name="conflict_resolutions_conflictId_idx"),
            PrismaIndex(fields=["resolved_at"], name="conflict_resolutions_resolvedAt_idx"),
        ]

    def __str__(self) -> str:
        return f"Conflict resolution of {self.conflict_id}"


class Conflict(CuidModel):
    concept = ForeignKey(
        "Concept",
        on_delete=models.SET_NULL,
        db_column="conceptId",
        related_name="conflicts",
        null=True,
        blank=True,
    )
    source_a_chunk = ForeignKey(
        "ContentChunk",
        on_delete=models.CASCADE,
        db_column="sourceAChunkId",
        related_name="conflicts_as_source_a",
    )
    source_b_chunk = ForeignKey(
        "ContentChunk",
        on_delete=models.CASCADE,
        db_column="sourceBChunkId",
        related_name="conflicts_as_source_b",
    )
    conflict_type = EnumField(ConflictType, db_column="conflictType")
    severity = EnumField(ConflictSeverity)
    description = models.TextField()
    status = EnumField(
        ConflictStatus, default=ConflictStatus.ACTIVE, db_default=ConflictStatus.ACTIVE
    )
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    resolved_at = TimestampField(db_column="resolvedAt", null=True, blank=True)

    prose_fields = frozenset({"description"})
    prisma_model = "conflicts"  # its name in Prisma's schema

    class Meta:
        db_table = "conflicts"
        indexes = [
            PrismaIndex(fields=["concept", "status"], name="conflicts_conceptId_status_idx"),
            PrismaIndex(fields=["created_at"], name="conflicts_createdAt_idx"),
            PrismaIndex(fields=["severity"], name="conflicts_severity_idx"),
            PrismaIndex(fields=["status"], name="conflicts_status_idx"),
        ]

    def __str__(self) -> str:
        return Truncator(self.description).chars(80)


class Source(CuidModel):
    name = models.TextField(unique=True)
    type = EnumField(SourceType)
    credibility_score = models.IntegerField(db_column="credibilityScore")
    medical_specialty = models.TextField(db_column="medicalSpecialty", null=True, blank=True)
    last_updated = TimestampField(db_column="lastUpdated", null=True, blank=True)
    metadata = models.JSONField(null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    prisma_model = "sources"  # its name in Prisma's schema

    class Meta:
        db_table = "sources"
        indexes = [
            PrismaIndex(fields=["credibility_score"], name="sources_credibilityScore_idx"),
            PrismaIndex(fields=["type"], name="sources_type_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class UserSourcePreference(CuidModel):
    user_id = models.TextField(db_column="userId")
    source = ForeignKey(
        "Source",
        on_delete=models.CASCADE,
        db_column="sourceId",
        related_name="user_source_preferences",
    )
    trust_level = EnumField(TrustLevel, db_column="trustLevel")
    priority = models.IntegerField()
    notes = models.TextField(null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    updated_at = TimestampField(db_column="updatedAt", auto_now=True)

    soft_references = {"user_id": "learning.User"}
    prose_fields = frozenset({"notes"})
    prisma_model = "user_source_preferences"  # its name in Prisma's schema

    class Meta:
        db_table = "user_source_preferences"
        indexes = [
            PrismaIndex(fields=["priority"], name="user_source_preferences_priority_idx"),
            PrismaIndex(fields=["user_id"], name="user_source_preferences_userId_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "source"],
                name="user_source_preferences_userId_sourceId_key",
            ),
        ]

    def __str__(self) -> str:
        return f"User source preference {self.trust_level} of {self.source_id}"
