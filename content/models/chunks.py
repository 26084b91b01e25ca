from django.db import models
from django.utils.text import Truncator
from pgvector.django import HnswIndex, VectorField

from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.functions import CurrentTimestamp
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from content.enums import RelationshipType


class ContentChunk(CuidModel):
    lecture = ForeignKey(
        "learning.Lecture",
        on_delete=models.CASCADE,
        db_column="lectureId",
        related_name="content_chunks",
    )
    content = models.TextField()
    embedding = VectorField(dimensions=1536, null=True, blank=True)
    chunk_index = models.IntegerField(db_column="chunkIndex")
    page_number = models.IntegerField(db_column="pageNumber", null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    prose_fields = frozenset({"content"})

    class Meta:
        db_table = "content_chunks"
        indexes = [
            PrismaIndex(fields=["lecture"], name="content_chunks_lectureId_idx"),
            HnswIndex(
                fields=["embedding"],
                name="content_chunks_embedding_idx",
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self) -> str:
        return Truncator(self.content).chars(80)


class Concept(CuidModel):
    name = models.TextField(unique=True)
    description = models.TextField(null=True, blank=True)
    category = models.TextField(null=True, blank=True)
    embedding = VectorField(dimensions=1536, null=True, blank=True)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())

    prose_fields = frozenset({"description"})

    class Meta:
        db_table = "concepts"
        indexes = [
            PrismaIndex(fields=["category"], name="concepts_category_idx"),
            HnswIndex(
                fields=["embedding"],
                name="concepts_embedding_idx",
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ConceptRelationship(CuidModel):
    from_concept = ForeignKey(
        "Concept",
        on_delete=models.CASCADE,
        db_column="fromConceptId",
        related_name="outgoing_relationships",
    )
    to_concept = ForeignKey(
        "Concept",
        on_delete=models.CASCADE,
        db_column="toConceptId",
        related_name="incoming_relationships",
    )
    relationship = EnumField(RelationshipType)
    strength = models.FloatField(default=1.0, db_default=1.0)
    created_at = TimestampField(db_column="createdAt", db_default=CurrentTimestamp())
    created_by = models.TextField(db_column="createdBy", null=True, blank=True)
    is_user_defined = models.BooleanField(
        db_column="isUserDefined", default=False, db_default=False
    )
    user_note = models.TextField(db_column="userNote", null=True, blank=True)

    prose_fields = frozenset({"user_note"})

    class Meta:
        db_table = "concept_relationships"
        indexes = [
            PrismaIndex(fields=["from_concept"], name="concept_relationships_fromConceptId_idx"),
            PrismaIndex(fields=["to_concept"], name="concept_relationships_toConceptId_idx"),
            PrismaIndex(
                fields=["is_user_defined"],
                name="concept_relationships_isUserDefined_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["from_concept", "to_concept", "relationship"],
                name="concept_relationships_fromConceptId_toConceptId_relationshi_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Concept relationship {self.relationship} of {self.from_concept_id}"
