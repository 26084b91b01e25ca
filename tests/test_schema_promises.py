"""What the schema promises the Prisma clients, checked through Django and raw SQL."""

import datetime
import zoneinfo

import factory
import pytest
from django.db import IntegrityError, connection, models, transaction
from django.db.utils import DataError
from pgvector.django import CosineDistance

from americano.testing import random_embedding
from behavior.factories import StrugglePredictionFactory
from behavior.models import StrugglePrediction
from content.factories import ContentChunkFactory
from content.models import ContentChunk
from learning.enums import ProcessingStatus
from learning.factories import (
    CardFactory,
    CourseFactory,
    LectureFactory,
    UserFactory,
)
from learning.models import Card, Course, LearningObjective, Lecture, User
from tests.dbutil import sql

pytestmark = pytest.mark.django_db


def test_timestamps_round_trip_in_utc_to_the_millisecond():
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    moment = datetime.datetime(2026, 7, 1, 14, 30, 15, 123987, tzinfo=paris)
    lecture = LectureFactory(processed_at=moment)

    lecture.refresh_from_db()
    assert lecture.processed_at == datetime.datetime(
        2026, 7, 1, 12, 30, 15, 123000, tzinfo=datetime.UTC
    )
    # On disk: naive UTC, as Prisma writes it.
    stored = sql('SELECT "processedAt"::text FROM lectures WHERE id = %s', [lecture.pk])[0]
    assert stored == ("2026-07-01 12:30:15.123",)


def test_database_defaults_fill_rows_written_without_them():
    user = UserFactory()
    before = sql("SELECT CURRENT_TIMESTAMP")[0][0]
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO courses (id, "userId", name, "updatedAt") VALUES (%s, %s, %s, now())',
            ["c-raw", user.pk, "Written by Prisma"],
        )
    course = Course.objects.get(pk="c-raw")
    assert abs(course.created_at - before) < datetime.timedelta(seconds=5)
    # Through the ORM the database default comes back with the insert.
    lecture = LectureFactory(user=user, course=course)
    assert lecture.uploaded_at is not None
    assert lecture.processing_status == ProcessingStatus.PENDING


def test_primary_keys_are_cuids():
    user = UserFactory()
    assert user.pk.startswith("c") and len(user.pk) >= 24
    assert UserFactory().pk != user.pk


def test_enum_values_round_trip_and_bad_labels_are_refused():
    lecture = LectureFactory(processing_status=ProcessingStatus.EMBEDDING_FAILED)
    lecture.refresh_from_db()
    assert lecture.processing_status == ProcessingStatus.EMBEDDING_FAILED
    assert sql('SELECT pg_typeof("processingStatus")::text FROM lectures')[0] == (
        '"ProcessingStatus"',
    )
    with pytest.raises(DataError, match="invalid input value for enum"), transaction.atomic():
        Lecture.objects.filter(pk=lecture.pk).update(processing_status="ARCHIVED")
    # Text lookups cast the enum, so admin search works on enum columns.
    assert Lecture.objects.filter(processing_status__icontains="failed").count() == 1


def test_cascades_happen_in_the_database_itself():
    card = CardFactory()
    course_id, card_id = card.course_id, card.pk
    with connection.cursor() as cursor:  # as a Prisma client would
        cursor.execute("DELETE FROM courses WHERE id = %s", [course_id])
    assert not Card.objects.filter(pk=card_id).exists()


def test_set_null_happens_in_the_database_itself():
    lecture = LectureFactory()
    card = CardFactory(course=lecture.course, lecture=lecture)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM lectures WHERE id = %s", [lecture.pk])
    card.refresh_from_db()
    assert card.lecture_id is None


def test_user_deletion_cascades_through_the_orm_too():
    course = CourseFactory()
    course.user.delete()
    assert not Course.objects.filter(pk=course.pk).exists()


def test_struggle_prediction_keeps_its_objective_as_the_contract_says():
    """NOT NULL with ON DELETE SET NULL: the database refuses, and so does Django."""
    prediction = StrugglePredictionFactory()
    objective = prediction.learning_objective
    with pytest.raises(models.ProtectedError):
        objective.delete()
    with (
        pytest.raises(IntegrityError, match="learningObjectiveId"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM learning_objectives WHERE id = %s", [objective.pk])
    assert StrugglePrediction.objects.filter(pk=prediction.pk).exists()
    assert LearningObjective.objects.filter(pk=objective.pk).exists()


def test_arrays_round_trip_and_filter():
    LectureFactory(topic_tags=["cardiology", "renal"])
    LectureFactory(topic_tags=["neurology"])
    tagged = Lecture.objects.filter(topic_tags__contains=["renal"])
    assert [lecture.topic_tags for lecture in tagged] == [["cardiology", "renal"]]


def test_cosine_search_uses_the_hnsw_index():
    chunks = ContentChunkFactory.create_batch(20, embedding=factory.LazyFunction(random_embedding))
    query = chunks[3].embedding
    nearest = ContentChunk.objects.order_by(CosineDistance("embedding", query))[:5]
    assert nearest[0].pk == chunks[3].pk
    with transaction.atomic(), connection.cursor() as cursor:
        # With 20 rows the planner would rightly scan; what matters is that the
        # query shape the app uses can be served by the ANN index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(row[0] for row in _explain(cursor, nearest))
    assert "content_chunks_embedding_idx" in plan


def _explain(cursor, queryset):
    sql, params = queryset.query.sql_with_params()
    cursor.execute("EXPLAIN " + sql, params)
    return cursor.fetchall()


def test_unique_indexes_refuse_duplicates():
    UserFactory(email="same@example.edu")
    with pytest.raises(IntegrityError, match="users_email_key"), transaction.atomic():
        User.objects.create(email="same@example.edu")


def test_every_model_has_a_working_factory_and_str():
    from django.apps import apps

    import behavior.factories
    import content.factories
    import learning.factories

    modules = [learning.factories, content.factories, behavior.factories]
    factories = {
        factory._meta.model: factory
        for module in modules
        for factory in vars(module).values()
        if isinstance(factory, type) and hasattr(factory, "_meta") and factory._meta.model
    }
    schema_models = [
        model
        for label in ("learning", "content", "behavior")
        for model in apps.get_app_config(label).get_models()
    ]
    assert len(schema_models) == 87
    assert set(schema_models) <= set(factories)
    for model in schema_models:
        instance = factories[model]()
        assert model.objects.filter(pk=instance.pk).exists()
        assert str(instance)


def test_sessions_run_in_utc_so_dates_truncate_as_prisma_stores_them():
    from django.db.models.functions import TruncDate

    assert sql("SHOW TIME ZONE")[0] == ("UTC",)
    late = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    lecture = LectureFactory(processed_at=late)
    day = Lecture.objects.filter(pk=lecture.pk).values_list(TruncDate("processed_at"), flat=True)
    assert list(day) == [datetime.date(2026, 3, 1)]
