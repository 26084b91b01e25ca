"""Backfills with several workers, and the throttle that pauses them.

Real PostgreSQL and real rows (the test-only app ``tests.backfill_recipes``): workers are
threads with connections of their own; a kill -9 is a real ``manage.py backfill`` in a
child process; the lock waits are real sessions waiting on a real lock; the replication
lag is that of a real streaming standby whose replay is paused (``tests/replica_support``).
What a user checks: every row updated exactly once (a trigger counts the updates of
each row, or an update that adds 1), the ranges in the checkpoint table, the pauses in
the result and in the progress.
"""

import itertools
import json
import random
import signal
import threading
import time
from collections.abc import Iterator
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from americano.core import progress
from americano.db.backfill import Backfill, BackfillError, RunBackfill
from americano.db.backfill.checkpoints import running_pid, session_pids
from americano.db.backfill.throttle import Throttle, replication_lag
from americano.models import BackfillRange
from americano.ops.databases import connection_for_url
from tests.backfill_recipes.models import RecipeEvent
from tests.backfill_support import DAY_OF_WEEK as NAME
from tests.backfill_support import (  # noqa: F401  (recipes: a fixture)
    TABLE,
    TOUCHES,
    assert_done_as_checkpointed,
    bulk_events,
    checkpoint,
    other_session,
    pending_backfill,
    recipes,
    score_counts,
    scores_backfill,
    start_manage,
    status_json,
    touch_counter,
    waits_on_a_lock,
)
from tests.commandline import processes_left, wait_for
from tests.dbutil import sql
from tests.replica_support import Replication, streaming_replication

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("recipes")]

PROBE = '"backfill_recipes"."lock_probe"'


@pytest.fixture(scope="module")
def replication() -> Iterator[Replication]:
    """A primary with a streaming standby of its own, for the tests of replication lag."""
    with streaming_replication() as servers:
        yield servers


def adding_one(seen: list):
    """An update that adds 1 to each row of its batch (so a row done twice shows 2), noting
    which thread did which keys."""

    def update(rows) -> int:
        seen.append((threading.current_thread().name, list(rows.values_list("pk", flat=True))))
        return rows.update(performance_score=Coalesce(F("performance_score"), 0) + 1)

    return update


def test_two_workers_share_the_ranges_and_update_every_row_once():
    bulk_events(2000)
    seen = []
    result = Backfill(
        "test.shared",
        RecipeEvent,
        connection=connection,
        pending=Q(pk__isnull=False),  # every row, on purpose: the walk alone must not repeat
        update=adding_one(seen),
        batch_size=100,
        workers=2,
    ).run()
    assert (result.finished, result.rows, result.batches, result.workers) == (True, 2000, 20, 2)
    keys = [key for _, batch in seen for key in batch]
    assert len(keys) == len(set(keys)) == 2000  # no row in two batches
    assert len({thread for thread, _ in seen}) == 2  # both workers did batches
    assert score_counts() == {1: 2000}
    saved = checkpoint("test.shared")
    assert (saved.rows_done, saved.batches, saved.last_key) == (2000, 20, max(keys))
    assert saved.finished_at is not None
    assert not BackfillRange.objects.exists()  # finished: no range is left
    assert session_pids("test.shared", connection) == []  # every worker's session closed


def test_a_failed_batch_stops_every_worker_and_the_next_run_redoes_its_range_first():
    bulk_events(1000)
    seen, batch_numbers = [], itertools.count(1)  # next() on a count is atomic: workers share it
    add_one = adding_one(seen)

    def breaks_once(rows) -> int:
        number = next(batch_numbers)
        changed = add_one(rows)
        if number == 5:
            raise ValueError("the fifth batch breaks")
        return changed

    options = {"pending": Q(pk__isnull=False), "batch_size": 100, "connection": connection}
    with pytest.raises(BackfillError, match="the fifth batch breaks"):
        Backfill("test.broken", RecipeEvent, update=breaks_once, workers=2, **options).run()
    (left,) = BackfillRange.objects.filter(state="claimed")  # the failed range, rolled back
    saved = checkpoint("test.broken")
    # The other worker's batch under way, if any, committed: 4 or 5 batches of 100.
    assert saved.batches in (4, 5) and saved.rows_done == 100 * saved.batches
    assert (saved.errors, saved.finished_at) == (1, None)
    assert score_counts() == {1: saved.rows_done, None: 1000 - saved.rows_done}
    redone = sql(
        f"SELECT id FROM {TABLE} WHERE id > %s AND id <= %s ORDER BY id",
        [left.lower_key, left.upper_key],
    )
    seen.clear()
    result = Backfill("test.broken", RecipeEvent, update=add_one, **options).run()
    assert (result.finished, result.rows, result.rows_done) == (True, 1000 - saved.rows_done, 1000)
    assert seen[0][1] == [key for (key,) in redone]  # the claimed range came first
    assert score_counts() == {1: 1000}  # every row once, over both runs


@pytest.mark.slow  # manage.py in a child process
def test_kill_9_with_two_workers_at_a_random_point_then_a_rerun_updates_every_row_once():
    pending_backfill(3000)
    keys = [key for (key,) in sql(f"SELECT id FROM {TABLE} ORDER BY id")]
    locked = keys[random.randint(300, 1500)]
    with touch_counter() as touches, other_session() as other:
        # One row locked: the worker whose range holds it waits, the other walks on.
        other.execute(f"SELECT 1 FROM {TABLE} WHERE id = %s FOR UPDATE", [locked])
        process = start_manage("backfill", NAME, "--workers", "2", "--batch-size", "100")
        wait_for(lambda: waits_on_a_lock(NAME))
        time.sleep(random.uniform(0, 0.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert processes_left(process.pid) == {}
        # The worker waiting for the lock lingers on the server: the backfill still runs.
        assert {s["name"]: s["status"] for s in status_json()}[NAME] == "running"

        saved = checkpoint(NAME)
        ranges = list(BackfillRange.objects.order_by("id"))
        claimed = [r for r in ranges if r.state == "claimed"]
        assert any(r.lower_key < locked <= r.upper_key for r in claimed)
        # After last_key, the ranges are a chain: each starts where the one before ended.
        uppers = [r.upper_key for r in ranges]
        assert [r.lower_key for r in ranges] == [saved.last_key, *uppers[:-1]]
        assert_done_as_checkpointed(NAME, '"dayOfWeek" IS NOT NULL')
        assert touches() == {1: saved.rows_done, 0: 3000 - saved.rows_done}

        other.rollback()  # the lingering worker gets the row, finds its client gone, rolls back
        wait_for(lambda: running_pid(NAME, connection) is None)
        assert touches() == {1: saved.rows_done, 0: 3000 - saved.rows_done}
        before = sql(f"SELECT coalesce(max(n), 0) FROM {TOUCHES}")[0][0]
        out = StringIO()
        call_command("backfill", NAME, format="json", stdout=out)
        report = json.loads(out.getvalue())
        assert (report["status"], report["rows"]) == ("finished", 3000 - saved.rows_done)
        assert touches() == {1: 3000}  # every row updated exactly once, over both runs
        redone = [
            row
            for r in claimed
            for row in sql(
                f"SELECT id FROM {TABLE} WHERE id > %s AND id <= %s", [r.lower_key, r.upper_key]
            )
        ]
        rerun_first = sql(
            f"SELECT id FROM {TOUCHES} WHERE n > %s ORDER BY n LIMIT %s", [before, len(redone)]
        )
        assert sorted(rerun_first) == sorted(redone)  # the dead run's ranges were redone first
    assert not BackfillRange.objects.exists()


# The throttle ------------------------------------------------------------------------------


def _wait_on(table: str) -> None:
    params = connection.get_connection_params()
    keys = ("dbname", "user", "password", "host", "port")
    with psycopg.connect(**{k: params[k] for k in keys if params.get(k)}) as waiting:
        waiting.execute(f"SELECT count(*) FROM {table}")


def timed_steps() -> tuple[list, progress.ProgressSink]:
    steps = []
    return steps, lambda step: steps.append((time.monotonic(), step))


def test_the_walk_pauses_while_sessions_wait_on_locks_and_resumes_after():
    bulk_events(500)
    sql(f"CREATE TABLE {PROBE} (id int)")
    released = []
    try:
        with other_session() as holder:
            holder.execute(f"LOCK TABLE {PROBE} IN ACCESS EXCLUSIVE MODE")
            waiters = [threading.Thread(target=_wait_on, args=(PROBE,)) for _ in range(2)]
            for waiter in waiters:
                waiter.start()
            count = (
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            wait_for(lambda: sql(count) == [(2,)])

            def release() -> None:
                released.append(time.monotonic())
                holder.rollback()

            threading.Timer(1.0, release).start()
            steps, sink = timed_steps()
            with progress.reporting_to(sink):
                result = scores_backfill(batch_size=100, workers=2, max_lock_waits=1).run()
            for waiter in waiters:
                waiter.join()
    finally:
        sql(f"DROP TABLE {PROBE}")
    assert result.finished and score_counts() == {1: 500}
    (pause,) = result.pauses
    assert (pause.reason, pause.value, pause.limit) == ("lock_waits", 2, 1)
    assert 0.8 < pause.seconds < 3
    (_, first), *rest = steps
    assert first.detail == "paused: 2 sessions wait on locks (limit 1)"
    assert all(at >= released[0] for at, _ in rest)  # no batch ran before the lock went
    assert [step.detail for _, step in rest][-1] == "500 rows updated"
    shown = result.as_dict()
    assert shown["pauses"] == [
        {"reason": "lock_waits", "worst": 2, "limit": 1, "seconds": round(pause.seconds, 3)}
    ]
    assert shown["paused_seconds"] == round(pause.seconds, 3)
    assert shown["throttle"] == {
        "max_lag_seconds": 10.0,
        "max_lock_waits": 1,
        "lag_from": "primary",
    }


@pytest.mark.slow  # a primary and a standby of their own
def test_the_walk_pauses_while_a_replica_lags_and_resumes_when_it_has_caught_up(replication):
    bulk_events(300)
    replica = connection_for_url(replication.replica_url, what="--replica-url")
    try:
        wait_for(lambda: replication_lag(replica) == 0)  # caught up
        replication.pause_replay()
        wait_for(lambda: replication_lag(replica) > 0.5)
        threading.Timer(1.0, replication.resume_replay).start()
        steps, sink = timed_steps()
        with progress.reporting_to(sink):
            result = scores_backfill(batch_size=100, max_lag=0.5, replica=replica).run()
    finally:
        replication.resume_replay()
        replica.close()
    assert result.finished and score_counts() == {1: 300}
    (pause,) = result.pauses
    assert (pause.reason, pause.limit) == ("replication_lag", 0.5)
    assert pause.value > 0.5 and 0.5 < pause.seconds < 3
    assert steps[0][1].detail.startswith("paused: replication lag ")
    assert result.throttle["lag_from"] == "replica"


@pytest.mark.slow  # a primary and a standby of their own
def test_the_primary_sees_its_replica_fall_behind_in_pg_stat_replication(replication):
    primary = connection_for_url(replication.primary_url)
    throttle = Throttle(max_lag=0.5, max_lock_waits=10)
    try:
        replication.commit_on_primary()
        wait_for(lambda: replication_lag(primary) < 0.5)  # caught up
        assert throttle.trouble(primary, []) is None
        replication.pause_replay()

        def behind() -> bool:
            replication.commit_on_primary()  # the primary measures lag on WAL it sends
            return replication_lag(primary) > 0.5

        wait_for(behind)
        pause = throttle.trouble(primary, [])
        assert (pause.reason, pause.limit) == ("replication_lag", 0.5) and pause.value > 0.5
        replication.resume_replay()
        replication.commit_on_primary()
        wait_for(lambda: replication_lag(primary) < 0.5)
        assert throttle.trouble(primary, []) is None
    finally:
        replication.resume_replay()
        primary.close()


@pytest.mark.slow  # a primary and a standby of their own
def test_the_command_takes_a_replica_url_and_refuses_a_primary(replication):
    pending_backfill(10)
    out = StringIO()
    call_command(
        "backfill", NAME, dry_run=True, replica_url=replication.replica_url, workers=3,
        max_lag=2.5, format="json", stdout=out,
    )  # fmt: skip
    plan = json.loads(out.getvalue())
    assert plan["workers"] == 3
    assert plan["throttle"] == {"max_lag_seconds": 2.5, "max_lock_waits": 10, "lag_from": "replica"}
    with pytest.raises(CommandError, match="is not a replica") as raised:
        call_command("backfill", NAME, replica_url=replication.primary_url, stdout=StringIO())
    assert raised.value.returncode == 2
    assert checkpoint(NAME).started_at is None  # refused before anything ran


# Settings and their bounds -----------------------------------------------------------------


def test_workers_and_throttle_limits_are_bounded_and_default_to_the_settings(settings):
    options = {"connection": connection, "pending": Q(pk__isnull=False), "update": {"user_id": "x"}}
    bad = [
        ({"workers": 0}, "workers must be a whole number from 1 to 16"),
        ({"workers": 17}, "workers must be a whole number from 1 to 16"),
        ({"workers": 2.0}, "workers must be a whole number"),
        ({"max_lag": 0.0}, "from 0.1 to 3600"),
        ({"max_lag": float("nan")}, "from 0.1 to 3600"),
        ({"max_lock_waits": -1}, "from 0 to 10,000"),
        ({"max_lock_waits": True}, "from 0 to 10,000"),
    ]
    for value, reason in bad:
        with pytest.raises(BackfillError, match=reason):
            Backfill("test.bounds", RecipeEvent, **options, **value)
    with pytest.raises(BackfillError, match="workers"):
        RunBackfill(name="x", model_name="recipeevent", pending="true", update="a = 1", workers=0)
    settings.AMERICANO_BACKFILL_MAX_LAG = 30
    settings.AMERICANO_BACKFILL_MAX_LOCK_WAITS = 0
    throttle = Backfill("test.bounds", RecipeEvent, **options).new_throttle()
    assert (throttle.max_lag, throttle.max_lock_waits) == (30.0, 0)
    settings.AMERICANO_BACKFILL_MAX_LAG = -1
    with pytest.raises(BackfillError, match="setting AMERICANO_BACKFILL_MAX_LAG"):
        Backfill("test.bounds", RecipeEvent, **options)
    assert checkpoint("test.bounds") is None
    operation = RunBackfill(
        name="x", model_name="recipeevent", pending="true", update="a = 1", workers=4
    )
    assert operation.deconstruct()[2]["workers"] == 4
