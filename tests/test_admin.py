"""The admin of the 87 schema tables: every page renders, big lists stay cheap."""

import datetime
import importlib
import json
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from americano.admin import ReadOnlyAdminMixin
from americano.admin.changelist import periods
from americano.admin.paginator import EXACT_COUNT_LIMIT
from americano.testing import random_embedding
from behavior.factories import CalendarIntegrationFactory
from behavior.models import BehavioralEvent
from content.factories import ContentChunkFactory
from learning.factories import CourseFactory, LectureFactory, MissionFactory, UserFactory
from learning.models import Mission, User

pytestmark = pytest.mark.django_db


SCHEMA_MODELS = sorted(
    (
        m
        for label in settings.AMERICANO_SCHEMA_APPS
        for m in apps.get_app_config(label).get_models()
    ),
    key=lambda m: m._meta.label,
)


def url(model, view, *args, **query):
    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def make(model):
    """One row of ``model`` (and its parents) from the app's factory."""
    factories = importlib.import_module(f"{model._meta.app_label}.factories")
    return getattr(factories, f"{model.__name__}Factory")()


def test_every_schema_model_is_registered():
    assert len(SCHEMA_MODELS) == 87
    unregistered = [m._meta.label for m in SCHEMA_MODELS if m not in admin.site._registry]
    assert unregistered == []


@pytest.mark.parametrize("model", SCHEMA_MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_forms_render(admin_client, model):
    obj = make(model)
    read_only = isinstance(admin.site._registry[model], ReadOnlyAdminMixin)

    listing = admin_client.get(url(model, "changelist"))
    assert listing.status_code == 200
    assert url(model, "change", obj.pk) in listing.content.decode()
    searched = admin_client.get(url(model, "changelist", q=obj.pk))
    assert searched.status_code == 200
    assert url(model, "change", obj.pk) in searched.content.decode()

    change = admin_client.get(url(model, "change", obj.pk))
    assert change.status_code == 200
    assert "Related rows" in change.content.decode()
    assert admin_client.get(url(model, "add")).status_code == (403 if read_only else 200)


def test_read_only_tables_refuse_changes(admin_client):
    event = make(BehavioralEvent)
    assert admin_client.post(url(BehavioralEvent, "change", event.pk), {}).status_code == 403
    assert (
        admin_client.post(url(BehavioralEvent, "delete", event.pk), {"post": "yes"}).status_code
        == 403
    )
    assert BehavioralEvent.objects.filter(pk=event.pk).exists()


def test_add_form_leaves_database_defaults_to_the_database(admin_client):
    response = admin_client.post(
        url(User, "add"),
        {
            "email": "new@example.edu",
            "name": "New Student",
            "default_mission_minutes": 50,
            "mission_difficulty": "AUTO",
            "auto_generate_missions": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new@example.edu")
    assert user.created_at is not None


def test_foreign_keys_use_autocomplete_and_it_answers(admin_client):
    course = CourseFactory(name="Cardiology", user__email="cardio@example.edu")
    lecture = LectureFactory(course=course, user=course.user)
    page = admin_client.get(url(type(lecture), "change", lecture.pk)).content.decode()
    assert 'class="admin-autocomplete' in page
    assert '<select name="course"' in page and page.count("<option") < 20

    found = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "learning",
            "model_name": "lecture",
            "field_name": "course",
            "term": "cardio",
        },
    )
    assert found.status_code == 200
    assert [r["id"] for r in json.loads(found.content)["results"]] == [course.pk]


def test_related_rows_link_both_ways(admin_client):
    lecture = LectureFactory()
    page = admin_client.get(url(User, "change", lecture.user.pk)).content.decode()
    # A foreign key pointing here, and a soft reference (userId without a foreign key).
    assert url(type(lecture), "changelist") + f"?user__exact={lecture.user.pk}" in page
    assert url(BehavioralEvent, "changelist") + f"?user_id__exact={lecture.user.pk}" in page
    listing = admin_client.get(url(type(lecture), "changelist", user__exact=lecture.user.pk))
    assert lecture.title in listing.content.decode()


def test_embeddings_and_large_json_are_summarised_read_only(admin_client):
    chunk = ContentChunkFactory(embedding=random_embedding())
    page = admin_client.get(url(type(chunk), "change", chunk.pk)).content.decode()
    assert "1536 dimensions" in page
    assert 'name="embedding"' not in page
    assert f"{chunk.embedding[0]:.17f}"[:12] not in page  # no raw vector dump

    mission = MissionFactory(
        objectives=[{"objectiveId": f"o{i}", "minutes": 15} for i in range(200)]
    )
    page = admin_client.get(url(Mission, "change", mission.pk)).content.decode()
    assert "array, 200 items" in page
    assert 'name="objectives"' not in page
    small = MissionFactory(objectives=[{"objectiveId": "o1"}])
    assert (
        'name="objectives"' in admin_client.get(url(Mission, "change", small.pk)).content.decode()
    )


def test_calendar_tokens_are_never_shown(admin_client):
    integration = CalendarIntegrationFactory(access_token="secret-access-token")
    page = admin_client.get(url(type(integration), "change", integration.pk)).content.decode()
    assert page.count("secret-access-token") == 0


BIG_TABLE_ROWS = 3 * EXACT_COUNT_LIMIT


@pytest.fixture
def big_event_table():
    """``BIG_TABLE_ROWS`` behavioural events of 500 users, analysed as a real big table is."""
    users = UserFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO behavioral_events (id, "userId", "eventType", "eventData", "timestamp")
            SELECT 'ev' || g,
                   CASE WHEN g %% 100 = 0 THEN %s ELSE 'user-' || (g %% 500) END,
                   (ARRAY['CARD_REVIEWED', 'SESSION_STARTED']::"EventType"[])[1 + g %% 2],
                   '{}',
                   TIMESTAMP '2026-03-01' + g * INTERVAL '1 minute'
            FROM generate_series(1, %s) AS g
            """,
            [users[0].pk, BIG_TABLE_ROWS],
        )
        cursor.execute("ANALYZE behavioral_events")
    yield users
    # ANALYZE writes the statistics in place: the rollback would not undo them.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM behavioral_events")
        cursor.execute("ANALYZE behavioral_events")


def counts_in(queries):
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize(
    "query",
    [{}, {"event_type__exact": "CARD_REVIEWED"}, {"timestamp__year": 2026, "timestamp__month": 3}],
    ids=["all", "filtered", "month"],
)
def test_big_changelist_neither_counts_everything_nor_queries_per_row(
    admin_client, big_event_table, query
):
    admin_client.get("/admin/")  # the session and user are loaded once more per request
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(url(BehavioralEvent, "changelist", **query))
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"about</span> \d+ behavioral events", page)
    assert page.count("/admin/behavior/behavioralevent/ev") >= 50  # a full page of rows
    sql = [q["sql"] for q in captured.captured_queries]
    # No full count: every COUNT is bounded by a LIMIT.
    assert all("LIMIT" in s for s in counts_in(captured.captured_queries)), counts_in(
        captured.captured_queries
    )
    # No DISTINCT over every row for the date hierarchy.
    assert not [s for s in sql if "DISTINCT" in s.upper()]
    # session, user, count or estimate (+ plan), page, users of the page, date range twice
    assert len(sql) <= 8, "\n".join(sql)


def test_small_changelist_counts_exactly(admin_client):
    for _ in range(3):
        make(BehavioralEvent)
    page = admin_client.get(url(BehavioralEvent, "changelist")).content.decode()
    assert "about</span>" not in page
    assert "3 behavioral events" in page


def test_date_hierarchy_periods_span_first_to_last():
    first = datetime.datetime(2025, 11, 30, 22, 15, tzinfo=datetime.UTC)
    last = datetime.datetime(2026, 2, 1, 3, 0, tzinfo=datetime.UTC)
    assert [p.strftime("%Y-%m") for p in periods(first, last, "month")] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert [p.year for p in periods(first, last, "year")] == [2025, 2026]
    assert len(list(periods(first, last, "day"))) == 64
