"""Backfills under bad input: bounded settings, stop requests, database text on a terminal.

Real PostgreSQL, the table of the test-only app ``tests.backfill_recipes``. Each bad value
must be refused in one line with exit status 2 before anything is written, also to the
checkpoint; the command-line forms run ``manage.py`` in child processes.
"""

import datetime
import json
import math
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q

from americano.core import progress
from americano.db.backfill import Backfill, BackfillError, RunBackfill
from americano.management.errors import exit_code
from americano.models import BackfillRun
from tests.backfill_recipes.models import RecipeEvent
from tests.backfill_support import (  # noqa: F401  (recipes: a fixture)
    TABLE,
    bulk_events,
    checkpoint,
    insert_events,
    migrate_recipes,
    recipes,
    score_counts,
    scores_backfill,
    start_manage,
)
from tests.commandline import assert_one_line_error, finish
from tests.dbutil import sql

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("recipes")]

NAME = "recipes.day_of_week"
BATCH_REASON = "one batch is one transaction that keeps its rows locked"
SLEEP_REASON = "seconds from 0 to 3600"
ROWS_REASON = "leave it out to run to the end"

#: Values of the options that call_command passes as they are (no argparse), and the reason
#: each refusal must give.
BAD_OPTIONS = [
    ({"sleep": math.nan}, SLEEP_REASON),
    ({"sleep": math.inf}, SLEEP_REASON),
    ({"sleep": -math.inf}, SLEEP_REASON),
    ({"sleep": -0.5}, SLEEP_REASON),
    ({"sleep": 3600.5}, SLEEP_REASON),
    ({"batch_size": 10**20}, BATCH_REASON),
    ({"batch_size": 2**63}, BATCH_REASON),
    ({"batch_size": 1_000_001}, BATCH_REASON),
    ({"batch_size": 0}, BATCH_REASON),
    ({"batch_size": -5}, BATCH_REASON),
    ({"max_rows": 0}, ROWS_REASON),
    ({"max_rows": 10**20}, ROWS_REASON),
]
#: The same on a real command line, where argparse reads the text first.
BAD_ARGUMENTS = [
    ("--sleep", "nan"),
    ("--sleep", "inf"),
    ("--sleep", "1e400"),
    ("--batch-size", "1e20"),
    ("--batch-size", "99999999999999999999"),
    ("--max-rows", "nan"),
]


def registered_backfill(rows: int) -> dict:
    """Backfill ``NAME`` registered (pending) over ``rows`` rows; its checkpoint as a dict."""
    migrate_recipes("0001")
    insert_events(rows)
    migrate_recipes("0002")
    return BackfillRun.objects.filter(name=NAME).values().get()


def assert_nothing_happened(before: dict, rows: int) -> None:
    assert BackfillRun.objects.filter(name=NAME).values().get() == before
    assert sql(f'SELECT count(*) FROM {TABLE} WHERE "dayOfWeek" IS NULL') == [(rows,)]


def test_the_backfill_command_refuses_unbounded_numbers_before_it_writes_anything():
    before = registered_backfill(50)
    for options, reason in BAD_OPTIONS:
        for dry_run in (False, True):
            with pytest.raises(CommandError) as raised:
                call_command("backfill", NAME, dry_run=dry_run, stdout=StringIO(), **options)
            message = str(raised.value)
            assert raised.value.returncode == 2, (options, message)
            assert reason in message and "\n" not in message, (options, message)
    assert_nothing_happened(before, 50)


@pytest.mark.slow  # manage.py in child processes
def test_unbounded_numbers_on_the_command_line_are_one_line_errors():
    before = registered_backfill(50)
    processes = [
        (argument, start_manage("backfill", NAME, *argument)) for argument in BAD_ARGUMENTS
    ]
    for argument, process in processes:
        result = finish(process)
        assert_one_line_error(result, 2)
        assert argument[0] in result.stderr, (argument, result.stderr)
    assert_nothing_happened(before, 50)


def test_the_library_refuses_unbounded_settings_before_it_writes_a_checkpoint():
    options = {"connection": connection, "pending": Q(pk__isnull=False), "update": {"user_id": "x"}}
    bad = [
        {"batch_size": 10**20},
        {"batch_size": True},
        {"batch_size": 500.0},
        {"batch_size": "500"},
        {"sleep": math.nan},
        {"sleep": math.inf},
        {"sleep": -1},
        {"sleep": "1"},
    ]
    for settings in bad:
        with pytest.raises(BackfillError) as raised:
            Backfill("test.bounds", RecipeEvent, **options, **settings)
        assert exit_code(raised.value) == 2, settings
        with pytest.raises(BackfillError):
            RunBackfill(
                name="x", model_name="recipeevent", pending="true", update="a = 1", **settings
            )
    for max_rows in (0, -1, 10**20, math.nan):
        with pytest.raises(BackfillError, match=ROWS_REASON):
            Backfill("test.bounds", RecipeEvent, **options).run(max_rows=max_rows)
    assert checkpoint("test.bounds") is None
    # The bounds themselves are allowed.
    widest = Backfill("test.bounds", RecipeEvent, **options, batch_size=1_000_000, sleep=3600)
    assert (widest.batch_size, widest.sleep) == (1_000_000, 3600.0)


def test_a_stop_request_cuts_the_pause_short_and_stops_on_a_batch_boundary():
    bulk_events(1000)
    steps = []
    started = time.monotonic()
    with progress.reporting_to(steps.append):
        # An hour between batches: only the stop request ends the pause after the first.
        result = scores_backfill(batch_size=200, sleep=3600).run(
            stop=lambda: "SIGTERM" if steps else None
        )
    assert time.monotonic() - started < 5
    assert (result.finished, result.batches, result.rows, result.stopped_by) == (
        False,
        1,
        200,
        "SIGTERM",
    )
    assert result.as_dict()["stopped_by"] == "SIGTERM"
    saved = checkpoint("test.scores")
    assert (saved.batches, saved.rows_done, saved.errors, saved.finished_at) == (1, 200, 0, None)
    assert score_counts() == {1: 200, None: 800}
    again = scores_backfill(batch_size=200).run(max_rows=300)
    assert (again.stopped_by, again.rows_done) == ("max_rows", 600)
    assert scores_backfill().run().stopped_by is None
    assert score_counts() == {1: 1000}


def test_text_output_escapes_control_characters_from_the_database():
    hostile = "evil\x1b]0;owned\x07"
    error = "boom \x1b[31mred\x1b[0m\rcovered"
    BackfillRun.objects.create(
        name=hostile,
        app_label="x",
        table="t\x1b[2J",
        started_at=datetime.datetime.now(datetime.UTC),
        last_error=error,
    )
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("backfill", status=True, stdout=out)
    text, summary = out.getvalue(), str(raised.value)
    assert raised.value.returncode == 1  # the hostile backfill counts as failed
    for shown in (text, summary):
        assert not any(char in shown for char in "\x1b\x07\r"), repr(shown)
        assert "evil\\x1b]0;owned\\x07" in shown
    assert "boom \\x1b[31mred\\x1b[0m\\rcovered" in text
    # Machines get the value as it is (JSON escapes it).
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("backfill", status=True, format="json", stdout=out)
    (status,) = [s for s in json.loads(out.getvalue())["backfills"] if s["name"] == hostile]
    assert status["last_error"] == error and "\x1b" not in out.getvalue()
