"""The backfill runner: the walk, the checkpoint, resuming, one runner at a time, progress.

Real PostgreSQL and real rows, in the table of the test-only app ``tests.backfill_recipes``.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from americano.core import progress
from americano.db.backfill import Backfill, BackfillError
from americano.db.backfill.checkpoints import forget, lock_key
from americano.management.errors import exit_code
from americano.management.progress import progress_bars
from tests.backfill_recipes.models import RecipeEvent
from tests.backfill_support import (  # noqa: F401  (recipes: a fixture)
    APP,
    LEAF,
    TABLE,
    Terminal,
    bulk_events,
    checkpoint,
    insert_events,
    migrate_recipes,
    other_session,
    recipes,
    score_counts,
    scores_backfill,
    status_json,
)
from tests.dbutil import sql

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("recipes")]


class Killed(Exception):
    pass


def kill_after(batches):
    """A progress sink that stops the run once ``batches`` batches have committed."""
    reports = []

    def sink(step: progress.Step) -> None:
        reports.append(step)
        if len(reports) == batches:
            raise Killed

    return progress.reporting_to(sink)


def test_a_killed_backfill_resumes_without_redoing_or_skipping_rows():
    bulk_events(3000)
    with pytest.raises(Killed), kill_after(4):
        scores_backfill().run()
    saved = checkpoint("test.scores")
    # The fifth batch had started when the fourth was reported: cancelled, or committed.
    assert saved.batches in (4, 5) and saved.rows_done == 250 * saved.batches
    assert saved.finished_at is None
    # Everything up to the checkpoint's key is done; after it, the range in flight, if done.
    below = sql(
        f'SELECT count(*) FILTER (WHERE "performanceScore" = 1), count(*) FROM {TABLE}'
        " WHERE id <= %s",
        [saved.last_key],
    )
    assert below == [(1000, 1000)]
    assert score_counts() == {1: saved.rows_done, None: 3000 - saved.rows_done}

    result = scores_backfill().run()
    assert result.finished and result.rows == 3000 - saved.rows_done
    assert result.rows_done == 3000
    assert score_counts() == {1: 3000}

    again = scores_backfill().run()
    assert again.finished and again.rows == 0 and again.batches == 0
    assert score_counts() == {1: 3000}


def test_a_failed_batch_rolls_back_alone_and_the_next_run_resumes():
    bulk_events(1000)
    calls = []

    def flaky(rows):
        calls.append(1)
        changed = rows.update(performance_score=Coalesce(F("performance_score"), 0) + 1)
        if len(calls) == 3:
            raise ValueError("the third batch breaks")
        return changed

    options = {"pending": Q(pk__isnull=False), "update": flaky, "batch_size": 200}
    options["connection"] = connection
    with pytest.raises(BackfillError, match="the third batch breaks") as raised:
        Backfill("test.flaky", RecipeEvent, **options).run()
    assert exit_code(raised.value) == 1
    saved = checkpoint("test.flaky")
    assert (saved.batches, saved.rows_done, saved.errors) == (2, 400, 1)
    assert "the third batch breaks" in saved.last_error
    assert score_counts() == {1: 400, None: 600}

    result = Backfill("test.flaky", RecipeEvent, **options).run()
    assert result.finished and result.rows_done == 1000
    assert score_counts() == {1: 1000}
    assert checkpoint("test.flaky").last_error == ""


def test_a_second_run_changes_nothing():
    bulk_events(1500)
    sql(f'UPDATE {TABLE} SET "performanceScore" = NULL')
    backfill = Backfill(
        "test.fill",
        RecipeEvent,
        connection=connection,
        pending='"performanceScore" IS NULL',  # an SQL condition
        update='"performanceScore" = length("userId")',  # an SQL SET clause
        batch_size=400,
    )
    result = backfill.run()
    assert (result.finished, result.rows, result.batches) == (True, 1500, 4)
    versions = sql(f"SELECT id, xmin::text FROM {TABLE} ORDER BY id")
    # Even from a deleted checkpoint, rows no longer pending are not touched.
    forget("test.fill", connection)
    assert backfill.run().rows == 0
    assert sql(f"SELECT id, xmin::text FROM {TABLE} ORDER BY id") == versions


def test_each_batch_runs_with_lock_timeout_and_gives_up_on_a_held_lock():
    bulk_events(600)
    timeouts = []

    def update(rows):
        timeouts.append(sql("SHOW lock_timeout")[0][0])
        return rows.update(performance_score=7)

    keys = [key for (key,) in sql(f"SELECT id FROM {TABLE} ORDER BY id")]
    options = {"pending": Q(performance_score__isnull=True), "update": update}
    options.update(batch_size=200, lock_timeout="100ms", retries=1, connection=connection)
    with other_session() as other:
        other.execute(f"SELECT 1 FROM {TABLE} WHERE id = %s FOR UPDATE", [keys[300]])
        with pytest.raises(BackfillError, match="lock timeout"):
            Backfill("test.locked", RecipeEvent, **options).run()
    saved = checkpoint("test.locked")
    assert (saved.batches, saved.rows_done, saved.errors) == (1, 200, 2)  # one retry
    assert set(timeouts) == {"100ms"}
    assert sql("SHOW lock_timeout") == [("0",)]  # the session's own value is untouched

    assert Backfill("test.locked", RecipeEvent, **options).run().rows_done == 600


def test_one_backfill_runs_in_one_session_at_a_time():
    bulk_events(10)
    with other_session() as other:
        other.execute("SELECT pg_advisory_lock(%s)", [lock_key("test.scores")])
        with pytest.raises(BackfillError, match=r"already running in another session \(server"):
            scores_backfill().run()
        statuses = {s["name"]: s for s in status_json()}
        assert statuses["test.scores"]["status"] == "running"
    assert scores_backfill().run().rows == 10


def test_a_function_update_sees_only_its_batch_of_pending_rows():
    bulk_events(500)
    sql(f'UPDATE {TABLE} SET "performanceScore" = 0 WHERE id IN (SELECT id FROM {TABLE} LIMIT 100)')
    seen = []

    def update(rows):
        seen.append(sorted(rows.values_list("pk", flat=True)))
        return rows.update(performance_score=1)

    pending = Q(performance_score__isnull=True)
    Backfill(
        "test.function",
        RecipeEvent,
        connection=connection,
        pending=pending,
        update=update,
        batch_size=150,
    ).run()
    keys = [key for batch in seen for key in batch]
    assert len(keys) == len(set(keys)) == 400
    assert max(len(batch) for batch in seen) <= 150
    assert score_counts() == {0: 100, 1: 400}


def test_a_backfill_refuses_fields_that_do_not_exist():
    options = {"connection": connection}
    with pytest.raises(BackfillError, match="Cannot resolve keyword 'nope'") as raised:
        Backfill("test.bad", RecipeEvent, pending=Q(nope=1), update={"user_id": "x"}, **options)
    assert exit_code(raised.value) == 2
    with pytest.raises(BackfillError, match="has no field named 'nope'"):
        Backfill("test.bad", RecipeEvent, pending=Q(pk=1), update={"nope": 1}, **options)


# Progress ---------------------------------------------------------------------------------


def test_the_runner_reports_its_progress_after_each_batch():
    bulk_events(1000)
    steps = []
    with progress.reporting_to(steps.append):
        scores_backfill(batch_size=400).run()
    # The total is the table's estimated size (pg_class.reltuples): whatever the last
    # ANALYZE saw, so not asserted.
    assert [(s.task, s.done) for s in steps] == [
        ("backfill test.scores", 400),
        ("backfill test.scores", 800),
        ("backfill test.scores", 1000),
    ]
    assert steps[-1].detail == "1,000 rows updated"


def test_progress_shows_as_a_bar_on_a_terminal_only():
    bulk_events(1000)
    quiet, screen = StringIO(), Terminal()
    with progress_bars(OutputWrapper(quiet)):
        scores_backfill(batch_size=500).run()
    assert quiet.getvalue() == ""
    forget("test.scores", connection)
    with progress_bars(OutputWrapper(screen)):
        scores_backfill(batch_size=500).run()
    assert "backfill test.scores" in screen.getvalue()
    assert "1,000 rows updated" in screen.getvalue()


def test_migrate_draws_the_bar_of_its_backfills_on_a_terminal_only():
    migrate_recipes("0001")
    insert_events(700)
    quiet = StringIO()
    call_command("migrate", APP, LEAF, stdout=quiet)  # 0003's FinishBackfill walks the rows
    assert checkpoint("recipes.day_of_week").rows_done == 700
    assert "rows updated" not in quiet.getvalue()
    migrate_recipes("0001")
    screen = Terminal()
    call_command("migrate", APP, LEAF, stdout=screen)
    assert "backfill recipes.day_of_week" in screen.getvalue()
    assert "700 rows updated" in screen.getvalue()
