"""``manage.py backfill`` in real child processes, stopped by real signals or racing another run.

What a user checks afterwards: the command said why in one line, no process is left, the
checkpoint says where it stopped, and a rerun updates every row exactly once (a trigger
counts the updates of each row: ``touch_counter``). SIGKILL at a random batch is the
recipe test's (test_backfill_recipes.py), with the same checks.
"""

import json
import random
import signal
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from americano.db.backfill.checkpoints import forget, running_pid
from tests.backfill_support import DAY_OF_WEEK as NAME
from tests.backfill_support import (  # noqa: F401  (recipes: a fixture)
    TABLE,
    assert_done_as_checkpointed,
    checkpoint,
    insert_events,
    other_session,
    pending_backfill,
    recipes,
    start_manage,
    touch_counter,
    waits_on_a_lock,
    walking,
)
from tests.commandline import (
    assert_one_line_error,
    finish,
    processes_left,
    run_python,
    wait_for,
)
from tests.dbutil import sql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("recipes"),
    pytest.mark.slow,  # manage.py in child processes
]


def assert_stopped_cleanly(process, rows: int, touches) -> None:
    """No process left, the sessions gone, the rows done exactly those the checkpoint says."""
    assert processes_left(process.pid) == {}
    wait_for(lambda: running_pid(NAME, connection) is None)
    saved = checkpoint(NAME)
    assert saved.finished_at is None
    assert touches() == {1: saved.rows_done, 0: rows - saved.rows_done}
    assert_done_as_checkpointed(NAME, '"dayOfWeek" IS NOT NULL')


def assert_rerun_finishes(rows: int, touches) -> None:
    done = checkpoint(NAME).rows_done
    out = StringIO()
    call_command("backfill", NAME, format="json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["status"], report["rows"], report["rows_done"]) == (
        "finished",
        rows - done,
        rows,
    )
    assert touches() == {1: rows}  # every row updated exactly once, over both runs


@pytest.mark.parametrize(
    ("signal_number", "workers"),
    [(signal.SIGTERM, 1), (signal.SIGINT, 1), (signal.SIGTERM, 2)],
    ids=["TERM", "INT", "TERM-2-workers"],
)
def test_a_signal_stops_the_walk_between_batches_and_a_rerun_finishes_it(signal_number, workers):
    pending_backfill(3000)
    with touch_counter() as touches:
        process = start_manage(
            "backfill",
            NAME,
            "--batch-size",
            "100",
            "--sleep",
            str(0.05 * workers),  # each worker rests between its batches: about 2 s of walk
            "--workers",
            str(workers),
        )
        wait_for(walking(process))
        delay = random.uniform(0, 1.0)  # of about 2 s of walk: in a batch or a pause
        time.sleep(delay)
        signalled = time.monotonic()
        process.send_signal(signal_number)
        result = finish(process)
        took = time.monotonic() - signalled

        assert_one_line_error(result, 1)  # unfinished
        assert f"stopped by {signal_number.name} after key" in result.stderr, delay
        assert "run it again to resume" in result.stderr
        assert took < 2, (delay, took)
        assert_stopped_cleanly(process, 3000, touches)
        saved = checkpoint(NAME)
        assert (saved.errors, saved.last_error) == (0, "")  # a stop is not a failure
        assert_rerun_finishes(3000, touches)


#: The coordinator waits for its workers while a signal handler runs past the end of the wait
#: (a SIGTERM's handler only notes it, but any may take a while on a loaded machine).
HANDLER_PAST_THE_WAIT = """
import signal, time, django
django.setup()
from americano.db.backfill.workers import ThreadPool
pool = ThreadPool(None, lambda: None, workers=1)
signal.signal(signal.SIGALRM, lambda *_: time.sleep(0.2))
signal.setitimer(signal.ITIMER_REAL, 0.01)
started = time.monotonic()
assert pool.next(0.05) is None
print(time.monotonic() - started)
"""


def test_the_wait_for_a_worker_ends_even_when_a_signal_handler_outlasts_it():
    # With queue.SimpleQueue (Python 3.11) this wait never ended: one SIGTERM in fifty hung
    # the 1-worker walk of the test above.
    result = run_python(HANDLER_PAST_THE_WAIT)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 1


def test_a_second_signal_ends_a_waiting_batch_at_once_and_the_server_rolls_it_back():
    pending_backfill(300)
    keys = [key for (key,) in sql(f"SELECT id FROM {TABLE} ORDER BY id")]
    with touch_counter() as touches, other_session() as other:
        other.execute(f"SELECT 1 FROM {TABLE} WHERE id = %s FOR UPDATE", [keys[150]])
        process = start_manage("backfill", NAME, "--batch-size", "100")
        wait_for(walking(process))
        wait_for(lambda: waits_on_a_lock(NAME))
        process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        assert process.poll() is None  # the first one waits for the batch in progress
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        ended = finish(process, timeout=5)
        assert time.monotonic() - signalled < 1
        assert_one_line_error(ended, 2)
        assert "interrupted (SIGTERM)" in ended.stderr
        # The server session gets the lock, finds its client gone and rolls the batch back.
        other.rollback()
        assert_stopped_cleanly(process, 300, touches)
        assert checkpoint(NAME).batches == 1
        assert_rerun_finishes(300, touches)


def test_one_backfill_runs_once_at_a_time_and_two_different_ones_run_together():
    other, paused = "recipes.session_paused", "\"eventType\" = 'SESSION_PAUSED'"
    insert_events(2000, dayOfWeek="1")
    forget(other, connection)
    forget(NAME, connection)
    expected = sql(
        f"SELECT count(*) FROM {TABLE} WHERE \"eventType\" = 'SESSION_ENDED'"
        " AND (\"eventData\"->>'paused')::boolean"
    )[0][0]
    with touch_counter() as touches:
        first = start_manage("backfill", other, "--batch-size", "100", "--sleep", "0.2")
        wait_for(walking(first, other))
        server_pid = running_pid(other, connection)
        same = start_manage("backfill", other)
        different = start_manage("backfill", NAME, "--batch-size", "100", "--sleep", "0.1")

        refused = finish(same)
        assert_one_line_error(refused, 1)
        assert f"already running in another session (server pid {server_pid})" in refused.stderr
        wait_for(walking(different))
        assert first.poll() is None and running_pid(other, connection) == server_pid  # together
        results = [finish(first), finish(different)]
        assert [result.returncode for result in results] == [0, 0], results
        # The recipe's rows once each; day_of_week had none pending, but walked the table too.
        assert touches() == {1: expected, 0: 2000 - expected}
    for name in (other, NAME):
        saved = checkpoint(name)
        assert saved.finished_at is not None and saved.rows_scanned == 2000, name
    assert sql(f"SELECT count(*) FROM {TABLE} WHERE {paused}") == [(expected,)]
