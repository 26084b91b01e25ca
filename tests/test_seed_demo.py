"""seed_demo: a connected data set, the same for the same seed, never on production."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from pgvector.django import CosineDistance

from americano.core import progress
from behavior.models import BehavioralEvent
from content.models import Concept, ContentChunk
from demo.builder.context import DEMO_PREFIX, STUDY_WEEKS
from demo.management.commands.seed_demo import Command as SeedDemoCommand
from demo.seed import (
    EARLIEST_UNTIL,
    MAX_USERS,
    SeedError,
    check_arguments,
    delete_demo_data,
    seed_demo,
)
from learning.enums import ProcessingStatus
from learning.factories import UserFactory
from learning.models import Card, Lecture, Mission, Review, StudySession, User
from tests.dbutil import sql

pytestmark = pytest.mark.django_db

UNTIL = datetime.date(2026, 9, 30)

#: Columns that show whether two runs wrote the same rows (``updatedAt`` is the run's time).
FINGERPRINT_SQL = """
SELECT (SELECT md5(string_agg(id || email || name, ',' ORDER BY id)) FROM users),
       (SELECT md5(string_agg(id || "courseId" || title, ',' ORDER BY id)) FROM lectures),
       (SELECT md5(string_agg(id || "cardId" || rating || "reviewedAt", ',' ORDER BY id))
        FROM reviews),
       (SELECT md5(string_agg(id || "eventType" || "timestamp", ',' ORDER BY id))
        FROM behavioral_events),
       (SELECT md5(string_agg(id || coalesce(embedding::text, ''), ',' ORDER BY id))
        FROM content_chunks)
"""


def fingerprint():
    return sql(FINGERPRINT_SQL)[0]


class Rollback(Exception):
    pass


def fingerprint_of(seed, users=2):
    """The fingerprint of a seeded database, rolled back afterwards."""
    try:
        with transaction.atomic():
            seed_demo(connection, users, seed, until=UNTIL)
            result = fingerprint()
            raise Rollback
    except Rollback:
        return result


def test_a_connected_data_set():
    steps = []
    with progress.reporting_to(steps.append):
        summary = seed_demo(connection, 3, seed=11, until=UNTIL)
    assert [(s.task, s.done, s.total) for s in steps] == [
        ("users", 0, 3),
        ("users", 3, 3),
        ("embeddings", 0, 1),
        ("embeddings", 1, 1),
    ]
    users = User.objects.filter(pk__startswith=DEMO_PREFIX)
    assert users.count() == 3 == summary.rows["learning.User"]
    for user in users:
        assert 2 <= user.courses.count() <= 3
        assert user.lectures.count() >= 4
        assert Card.objects.filter(course__user=user).count() >= 16
        assert user.missions.exists() and user.study_sessions.exists()
        assert Review.objects.filter(user=user).exclude(card__course__user=user).count() == 0
        assert BehavioralEvent.objects.filter(user_id=user.pk).count() > 10
    # Chunks of processed lectures have embeddings that are closest to their topic's concept.
    completed = Lecture.objects.filter(
        pk__startswith=DEMO_PREFIX, processing_status=ProcessingStatus.COMPLETED
    )
    chunks = ContentChunk.objects.filter(lecture__in=completed)
    assert chunks.count() == summary.embedded_chunks > 0
    assert not chunks.filter(embedding__isnull=True).exists()
    chunk = chunks.select_related("lecture").first()
    nearest = Concept.objects.order_by(CosineDistance("embedding", chunk.embedding)).first()
    assert nearest.name == chunk.lecture.topic_tags[0]
    # Activity spans the weeks before --until and no later.
    span = BehavioralEvent.objects.filter(pk__startswith=DEMO_PREFIX).values_list(
        "timestamp", flat=True
    )
    first, last = min(span), max(span)
    assert last.date() <= UNTIL and (last - first).days >= 7 * (STUDY_WEEKS - 2)
    assert Mission.objects.filter(pk__startswith=DEMO_PREFIX).count() >= 3
    assert StudySession.objects.filter(reviews__isnull=False).exists()


def test_the_same_seed_gives_the_same_rows():
    first = fingerprint_of(5)
    assert fingerprint_of(5) == first
    assert fingerprint_of(6) != first


def test_existing_demo_data_is_refused_or_replaced():
    UserFactory()  # not demo data: never touched
    seed_demo(connection, 1, seed=1, until=UNTIL)
    with pytest.raises(SeedError, match="already holds demo data"):
        seed_demo(connection, 1, seed=1, until=UNTIL)
    before = fingerprint()
    seed_demo(connection, 1, seed=1, until=UNTIL, replace=True)
    assert fingerprint() == before
    deleted = delete_demo_data(connection)
    assert deleted["learning.User"] == 1
    assert User.objects.count() == 1
    assert not ContentChunk.objects.filter(pk__startswith=DEMO_PREFIX).exists()
    # The indexes made for the deletion are gone with it.
    assert sql("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'bulk_delete_%%'") == [(0,)]
    assert sql(
        "SELECT count(*) FROM pg_indexes WHERE indexname = 'content_chunks_embedding_idx'"
    ) == [(1,)]


def test_command_prints_a_summary_without_a_progress_bar_off_a_terminal():
    out = io.StringIO()
    call_command("seed_demo", "--users", "2", "--seed", "4", "--until", "2026-09-30", stdout=out)
    text = out.getvalue()
    assert "learning.User" in text and "rows for 2 users (" in text
    assert "\x1b[" not in text  # no progress bar escape codes


def test_command_is_refused_on_production(monkeypatch):
    monkeypatch.setenv("AMERICANO_ENV", "production")
    with pytest.raises(CommandError, match="AMERICANO_ENV is production") as raised:
        call_command("seed_demo", "--users", "1")
    assert raised.value.returncode == 2
    assert not User.objects.exists()


def test_command_reports_existing_demo_data_in_one_line():
    seed_demo(connection, 1, seed=1, until=UNTIL)
    with pytest.raises(CommandError, match="demo data: pass --replace") as raised:
        call_command("seed_demo", "--users", "1")
    assert raised.value.returncode == 2


@pytest.mark.parametrize(
    "argument, value, reason",
    [
        ("--users", "99999999999999999999", "each is about 475 rows and 0.4 MB"),
        ("--users", "10001", "must be 1 to 10,000"),
        ("--users", "0", "must be 1 to 10,000"),
        ("--users", "-5", "must be 1 to 10,000"),
        ("--until", "0001-01-01", "counted back 6 weeks from it"),
        ("--until", "1999-12-31", "must be 2000-01-01 to "),
        ("--until", "9999-12-31", "every timestamp must stay in range"),
    ],
)
def test_out_of_range_arguments_are_refused_before_any_work(argument, value, reason):
    with pytest.raises(CommandError, match=reason) as raised:
        call_command("seed_demo", argument, value)
    assert raised.value.returncode == 2
    assert "\n" not in str(raised.value)
    assert not User.objects.exists() and not Concept.objects.exists()


def test_the_bounds_themselves_are_accepted_and_documented():
    today = datetime.datetime.now(datetime.UTC).date()
    assert check_arguments(MAX_USERS, EARLIEST_UNTIL) == EARLIEST_UNTIL
    assert check_arguments(1, today + datetime.timedelta(days=365)) > today
    assert check_arguments(1) == today
    with pytest.raises(SeedError, match="a year from today"):
        check_arguments(1, today + datetime.timedelta(days=366))
    help_text = " ".join(
        SeedDemoCommand().create_parser("manage.py", "seed_demo").format_help().split()
    )
    assert f"1 to {MAX_USERS:,}" in help_text and "about 475 rows and 0.4 MB" in help_text
    assert f"from {EARLIEST_UNTIL} to a year from today" in help_text


def test_deletion_indexes_foreign_keys_of_any_schema_and_name():
    """The helper indexes of a deletion go on the right table: one in another schema, and
    one whose name holds a quote and a space."""
    sql('CREATE SCHEMA "sp ace"')
    sql('CREATE TABLE "sp ace".parent (id int PRIMARY KEY)')
    sql('CREATE TABLE "sp ace"."chi""ld" (id int, "parent id" int REFERENCES "sp ace".parent)')
    sql('CREATE TABLE "chi""ld" (id int)')  # the same name in public: not the one to index
    seed_demo(connection, 1, seed=1, until=UNTIL)
    deleted = delete_demo_data(connection)
    assert deleted["learning.User"] == 1
    assert sql("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'bulk_delete_%%'") == [(0,)]
