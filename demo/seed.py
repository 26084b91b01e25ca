"""A realistic, connected demo data set for a development database.

``seed_demo(connection, users=N, seed=S)`` builds (``demo.builder``), with the
apps' factories, N medical students with courses, lectures (chunked, with
embeddings), learning objectives, cards, exams, and ``STUDY_WEEKS`` (six) weeks
of activity: daily missions and study sessions, card reviews, behavioural
events, context and cognitive-load samples, searches, validation answers, and
the analytics, patterns, insights and recommendations computed from them.
Shared reference data (concepts, sources, First Aid sections, articles) comes
first.

The same ``seed`` and ``until`` give the same rows, ids included: Python's
``random``, factory-boy's and Faker's generators are all seeded, every id comes
from the seeded generator, and every date is counted back from ``until``.
Only the ``updatedAt`` columns (Django's ``auto_now``) hold the time of the run.

Every demo id starts with ``DEMO_PREFIX``; ``delete_demo_data`` removes exactly
those rows. For speed, rows are written with ``COPY`` (``americano.ops.bulk``)
a hundred users at a time, and PostgreSQL computes the chunk embeddings
(``demo.embeddings``).
"""

import datetime
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import factory.random
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from americano.core import progress
from americano.core.errors import InputError
from americano.db.history import pending_migrations
from americano.ops.bulk import Rows, delete_by_id_prefix, write_rows
from behavior import models as behavior_models
from content import models as content_models
from demo.builder.context import DEMO_PREFIX, STUDY_WEEKS, Demo
from demo.builder.reference import reference_data
from demo.builder.students import student
from demo.embeddings import embed_chunks
from learning import models as learning_models

#: Users built and written together.
USER_BATCH = 100

#: The most users one run writes. Each is about 475 rows and 0.4 MB on disk, all in one
#: transaction: 1,000 users wrote about 475,000 rows and 410 MB in 60 to 95 seconds (two
#: cores), so the bound keeps a run within about 4 GB and a quarter of an hour.
MAX_USERS = 10_000
#: The earliest ``until``: the activity is counted back from it, and a demo of another
#: century only makes its timestamps absurd (or, near year 1, impossible).
EARLIEST_UNTIL = datetime.date(2000, 1, 1)
#: How far ahead of today ``until`` may be (exams are set up to 40 days after it).
LATEST_UNTIL_AHEAD = datetime.timedelta(days=365)

#: The order rows are inserted in: every model after those it refers to.
WRITE_ORDER = [
    content_models.Concept,
    content_models.ConceptRelationship,
    content_models.Source,
    content_models.FirstAidSection,
    behavior_models.LearningArticle,
    learning_models.User,
    learning_models.Course,
    learning_models.CoursePriority,
    learning_models.Exam,
    learning_models.Lecture,
    learning_models.LearningObjective,
    learning_models.ObjectivePrerequisite,
    content_models.ContentChunk,
    content_models.LectureFirstAidMapping,
    learning_models.Card,
    learning_models.Mission,
    learning_models.MissionFeedback,
    learning_models.StudySession,
    learning_models.Review,
    learning_models.ValidationPrompt,
    learning_models.ValidationResponse,
    learning_models.Streak,
    learning_models.MissionStreak,
    learning_models.Achievement,
    learning_models.StudyGoal,
    learning_models.MissionAnalytics,
    learning_models.PerformanceMetric,
    behavior_models.ContextMetadata,
    behavior_models.BehavioralEvent,
    behavior_models.CognitiveLoadMetric,
    content_models.SearchQuery,
    content_models.SearchClick,
    content_models.ContentRecommendation,
    behavior_models.ArticleRead,
    behavior_models.UserLearningProfile,
    behavior_models.PersonalizationPreferences,
    behavior_models.BehavioralPattern,
    behavior_models.BehavioralInsight,
    behavior_models.InsightPattern,
    behavior_models.BurnoutRiskAssessment,
    behavior_models.Recommendation,
    behavior_models.StrugglePrediction,
    behavior_models.InterventionRecommendation,
]


class SeedError(InputError):
    """The database cannot take the demo data as it is."""


class DemoDataExists(SeedError):
    """Demo rows are already there, and ``replace`` was not asked for."""


@dataclass(frozen=True)
class SeedReport:
    """What ``seed_demo`` wrote: rows per model label, and the chunks given an embedding."""

    users: int
    rows: dict[str, int]
    embedded_chunks: int
    seconds: float
    ok = True

    def as_dict(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "rows": self.rows, "embedded_chunks": self.embedded_chunks}


def check_arguments(users: int, until: datetime.date | None = None) -> datetime.date:
    """Refuse what would fill the disk or put timestamps out of range, before any work;
    return the last day of activity (default today, UTC)."""
    if not 1 <= users <= MAX_USERS:
        raise SeedError(
            f"the number of users must be 1 to {MAX_USERS:,}: each is about 475 rows and"
            " 0.4 MB written in one transaction (1,000 take about 410 MB and 1 to 1.5 minutes)"
        )
    today = datetime.datetime.now(datetime.UTC).date()
    latest = today + LATEST_UNTIL_AHEAD
    until = until or today
    if not EARLIEST_UNTIL <= until <= latest:
        raise SeedError(
            f"the last day of activity must be {EARLIEST_UNTIL} to {latest} (a year from"
            f" today): the activity is counted back {STUDY_WEEKS} weeks from it and exams"
            " are set after it, and every timestamp must stay in range"
        )
    return until


def has_demo_data(connection: BaseDatabaseWrapper) -> bool:
    users = learning_models.User.objects.using(connection.alias)
    return users.filter(pk__startswith=DEMO_PREFIX).exists()


def delete_demo_data(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Delete every demo row (id starting with ``DEMO_PREFIX``); ``{model label: rows}``."""
    return delete_by_id_prefix(connection, WRITE_ORDER, DEMO_PREFIX)


def seed_demo(
    connection: BaseDatabaseWrapper,
    users: int,
    seed: int,
    *,
    until: datetime.date | None = None,
    replace: bool = False,
) -> SeedReport:
    """Write the demo data set (see the module) in one transaction.

    With ``replace``, the demo rows already there are deleted first (same transaction);
    without it, existing demo rows are an error. ``users`` is 1 to ``MAX_USERS``; ``until``
    (default today, UTC) from ``EARLIEST_UNTIL`` to a year from today. Interrupted, it
    leaves the database as it was. Progress: ``users``, then ``embeddings``.
    """
    started = time.monotonic()
    until = check_arguments(users, until)
    pending = pending_migrations(MigrationLoader(connection))
    if pending:
        first = ".".join(pending[0])
        raise SeedError(f"{len(pending)} migrations not applied (first {first}): run migrate")
    if has_demo_data(connection) and not replace:
        raise DemoDataExists("the database already holds demo data")
    random.seed(seed)
    factory.random.reseed_random(seed)
    demo = Demo(seed, until)
    counts: Counter[str] = Counter()
    with transaction.atomic(using=connection.alias):
        if replace:
            delete_demo_data(connection)
        rows = Rows()
        topic_vectors = reference_data(demo, rows)
        counts.update(write_rows(connection, rows, WRITE_ORDER))
        progress.report("users", 0, users)
        for batch in _batches(users, USER_BATCH):
            for number in batch:
                student(demo, rows, number + 1)
            counts.update(write_rows(connection, rows, WRITE_ORDER))
            progress.report("users", batch.stop, users)
        progress.report("embeddings", 0, 1)
        embedded = embed_chunks(connection, demo, topic_vectors)
        progress.report("embeddings", 1, 1)
    seconds = round(time.monotonic() - started, 1)
    return SeedReport(users, dict(counts), embedded, seconds)


def _batches(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))
