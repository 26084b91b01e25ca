"""The system checks catch a new model that would drift from Prisma's DDL."""

from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from americano.db.checks import field_errors, name_warnings
from americano.db.fields import EnumField, ForeignKey, TimestampField
from americano.db.indexes import PrismaIndex
from americano.db.models import CuidModel
from learning.enums import CardType


def test_the_project_passes_its_own_checks():
    call_command("check", fail_level="WARNING")


@isolate_apps("learning")
def test_stock_fields_and_unknown_enums_are_errors():
    class Flashcard(CuidModel):
        deck = models.ForeignKey("learning.Course", models.CASCADE)
        seen_at = models.DateTimeField()
        kind = EnumField(enum_type="NoSuchType")

        class Meta:
            app_label = "learning"

    codes = sorted((error.id, error.obj.name) for error in field_errors([Flashcard]))
    assert codes == [
        ("americano.E001", "deck"),
        ("americano.E002", "seen_at"),
        ("americano.E003", "kind"),
    ]


@isolate_apps("learning")
def test_faithful_fields_pass():
    class Flashcard(CuidModel):
        deck = ForeignKey("learning.Course", models.CASCADE, db_column="deckId")
        seen_at = TimestampField(db_column="seenAt")
        kind = EnumField(CardType)

        class Meta:
            app_label = "learning"
            db_table = "flashcards"
            indexes = [PrismaIndex(fields=["deck", "seen_at"], name="flashcards_deckId_seenAt_idx")]

    assert field_errors([Flashcard]) == []
    assert name_warnings([Flashcard]) == []


@isolate_apps("learning")
def test_names_that_are_not_prisma_s_are_warned_about():
    class Flashcard(CuidModel):
        seen_at = TimestampField(db_column="seenAt")

        class Meta:
            app_label = "learning"
            db_table = "flashcards"
            indexes = [PrismaIndex(fields=["seen_at"], name="flashcards_seen_idx")]
            constraints = [models.UniqueConstraint(fields=["seen_at"], name="uniq_seen")]

    hints = sorted(warning.hint for warning in name_warnings([Flashcard]))
    assert hints == ["Name it 'flashcards_seenAt_idx'.", "Name it 'flashcards_seenAt_key'."]
