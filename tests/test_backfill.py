"""Batched backfills: the walk, the checkpoint, resuming, the commands, and the recipes.

Real PostgreSQL and real rows. The recipes are the migrations of the test-only
app ``tests.backfill_recipes``; a test moves that app back to the state a recipe
starts from, inserts rows, and migrates forwards (or backwards) over them.
"""

import contextlib
import json
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from americano.db.backfill import (
    Backfill,
    BackfillError,
    FinishBackfill,
    GuardConversion,
    Progress,
    RunBackfill,
    find_backfills,
    forget,
    integer_guard,
    lock_key,
    read_checkpoints,
    running_pid,
    terminal_progress,
)
from americano.db.fields import new_cuid
from tests.backfill_recipes.models import RecipeEvent
from tests.dbutil import libpq_target

ROOT = Path(__file__).resolve().parents[1]
APP = "backfill_recipes"
LEAF = "0009"
TABLE = '"backfill_recipes"."recipe_events"'
TYPE = '"backfill_recipes"."RecipeEventType"'

pytestmark = pytest.mark.django_db(transaction=True)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def migrate_recipes(target: str | None) -> None:
    """Move the recipes app to migration ``target`` (a prefix), or to zero with None."""
    executor = MigrationExecutor(connection)
    name = None
    if target is not None:
        name = executor.loader.get_migration_by_prefix(APP, target).name
    executor.migrate([(APP, name)])


@pytest.fixture
def recipes():
    """``migrate_recipes``; afterwards the rows go and the app is back at its last migration."""
    yield migrate_recipes
    if sql("SELECT to_regclass(%s) IS NOT NULL", [TABLE])[0][0]:
        sql(f"DELETE FROM {TABLE}")  # flush does not see the app's schema
    sql("DELETE FROM americano_backfill")
    migrate_recipes(LEAF)


def insert_events(count: int, **columns: str) -> None:
    """``count`` rows with cuid keys; ``columns``: column -> SQL expression of ``n`` (1..count)."""
    names = ['"userId"', '"eventType"', '"eventData"', '"timestamp"']
    values = [
        "'user' || mod(n, 7)",
        f"(CASE WHEN mod(n, 3) = 0 THEN 'SESSION_ENDED' ELSE 'SESSION_STARTED' END)::{TYPE}",
        "jsonb_build_object('paused', mod(n, 2) = 0)",
        "timestamp '2026-01-01' + n * interval '37 minutes'",
    ]
    names += [f'"{column}"' for column in columns]
    values += list(columns.values())
    sql(
        f"INSERT INTO {TABLE} (id, {', '.join(names)}) SELECT k.id, {', '.join(values)}"
        " FROM unnest(%s::text[]) WITH ORDINALITY AS k(id, n)",
        [[new_cuid() for _ in range(count)]],
    )


def checkpoint(name):
    return read_checkpoints().get(name)


class Killed(Exception):
    pass


def kill_after(batches):
    def progress(report):
        if report.batches == batches:
            raise Killed

    return progress


def scores_backfill(**options):
    """A deliberately non-idempotent backfill: every visit adds 1, so a redone row shows 2."""
    options.setdefault("batch_size", 250)
    return Backfill(
        "test.scores",
        RecipeEvent,
        pending=Q(pk__isnull=False),  # every row, on purpose: the walk alone must not repeat
        update={"performance_score": Coalesce(F("performance_score"), 0) + 1},
        **options,
    )


def score_counts():
    return dict(sql(f'SELECT "performanceScore", count(*) FROM {TABLE} GROUP BY 1'))


def bulk_events(count):
    RecipeEvent.objects.bulk_create(
        RecipeEvent(
            user_id=f"user{n % 5}", event_type="SESSION_STARTED", event_data={}, day_of_week=1
        )
        for n in range(count)
    )


# The walk, the checkpoint, resuming ------------------------------------------------------


def test_a_killed_backfill_resumes_without_redoing_or_skipping_rows(recipes):
    bulk_events(3000)
    with pytest.raises(Killed):
        scores_backfill().run(progress=kill_after(4))
    saved = checkpoint("test.scores")
    assert (saved.batches, saved.rows_done, saved.finished_at) == (4, 1000, None)
    # Everything up to the checkpoint's key is done, nothing after it.
    below = sql(
        f'SELECT count(*) FILTER (WHERE "performanceScore" = 1), count(*) FROM {TABLE}'
        " WHERE id <= %s",
        [saved.last_key],
    )
    assert below == [(1000, 1000)]
    assert score_counts() == {1: 1000, None: 2000}

    result = scores_backfill().run()
    assert result.finished and result.rows == 2000 and result.rows_done == 3000
    assert score_counts() == {1: 3000}

    again = scores_backfill().run()
    assert again.finished and again.rows == 0 and again.batches == 0
    assert score_counts() == {1: 3000}


def test_a_failed_batch_rolls_back_alone_and_the_next_run_resumes(recipes):
    bulk_events(1000)
    calls = []

    def flaky(rows):
        calls.append(1)
        changed = rows.update(performance_score=Coalesce(F("performance_score"), 0) + 1)
        if len(calls) == 3:
            raise ValueError("the third batch breaks")
        return changed

    options = {"pending": Q(pk__isnull=False), "update": flaky, "batch_size": 200}
    with pytest.raises(BackfillError, match="the third batch breaks") as raised:
        Backfill("test.flaky", RecipeEvent, **options).run()
    assert raised.value.returncode == 1
    saved = checkpoint("test.flaky")
    assert (saved.batches, saved.rows_done, saved.errors) == (2, 400, 1)
    assert "the third batch breaks" in saved.last_error
    assert score_counts() == {1: 400, None: 600}

    result = Backfill("test.flaky", RecipeEvent, **options).run()
    assert result.finished and result.rows_done == 1000
    assert score_counts() == {1: 1000}
    assert checkpoint("test.flaky").last_error == ""


def test_a_second_run_changes_nothing(recipes):
    bulk_events(1500)
    sql(f'UPDATE {TABLE} SET "performanceScore" = NULL')
    backfill = Backfill(
        "test.fill",
        RecipeEvent,
        pending='"performanceScore" IS NULL',  # an SQL condition
        update='"performanceScore" = length("userId")',  # an SQL SET clause
        batch_size=400,
    )
    result = backfill.run()
    assert (result.finished, result.rows, result.batches) == (True, 1500, 4)
    versions = sql(f"SELECT id, xmin::text FROM {TABLE} ORDER BY id")
    # Even from a deleted checkpoint, rows no longer pending are not touched.
    forget("test.fill")
    assert backfill.run().rows == 0
    assert sql(f"SELECT id, xmin::text FROM {TABLE} ORDER BY id") == versions


def test_each_batch_runs_with_lock_timeout_and_gives_up_on_a_held_lock(recipes):
    bulk_events(600)
    timeouts = []

    def update(rows):
        timeouts.append(sql("SHOW lock_timeout")[0][0])
        return rows.update(performance_score=7)

    keys = [key for (key,) in sql(f"SELECT id FROM {TABLE} ORDER BY id")]
    options = {"pending": Q(performance_score__isnull=True), "update": update}
    options.update(batch_size=200, lock_timeout="100ms", retries=1)
    with other_session() as other:
        other.execute(f"SELECT 1 FROM {TABLE} WHERE id = %s FOR UPDATE", [keys[300]])
        with pytest.raises(BackfillError, match="lock timeout"):
            Backfill("test.locked", RecipeEvent, **options).run()
    saved = checkpoint("test.locked")
    assert (saved.batches, saved.rows_done, saved.errors) == (1, 200, 2)  # one retry
    assert set(timeouts) == {"100ms"}
    assert sql("SHOW lock_timeout") == [("0",)]  # the session's own value is untouched

    assert Backfill("test.locked", RecipeEvent, **options).run().rows_done == 600


@contextlib.contextmanager
def other_session():
    """A second connection to the test database, in an open transaction."""
    params = connection.get_connection_params()
    keys = ("dbname", "user", "password", "host", "port")
    with psycopg.connect(**{k: params[k] for k in keys if params.get(k)}) as other:
        yield other
        other.rollback()


def test_one_backfill_runs_in_one_session_at_a_time(recipes):
    bulk_events(10)
    with other_session() as other:
        other.execute("SELECT pg_advisory_lock(%s)", [lock_key("test.scores")])
        with pytest.raises(BackfillError, match=r"already running in another session \(server"):
            scores_backfill().run()
        statuses = {s["name"]: s for s in status_json()}
        assert statuses["test.scores"]["status"] == "running"
    assert scores_backfill().run().rows == 10


def test_a_function_update_sees_only_its_batch_of_pending_rows(recipes):
    bulk_events(500)
    sql(f'UPDATE {TABLE} SET "performanceScore" = 0 WHERE id IN (SELECT id FROM {TABLE} LIMIT 100)')
    seen = []

    def update(rows):
        seen.append(sorted(rows.values_list("pk", flat=True)))
        return rows.update(performance_score=1)

    pending = Q(performance_score__isnull=True)
    Backfill("test.function", RecipeEvent, pending=pending, update=update, batch_size=150).run()
    keys = [key for batch in seen for key in batch]
    assert len(keys) == len(set(keys)) == 400
    assert max(len(batch) for batch in seen) <= 150
    assert score_counts() == {0: 100, 1: 400}


def test_a_backfill_refuses_fields_that_do_not_exist(recipes):
    with pytest.raises(BackfillError, match="Cannot resolve keyword 'nope'") as raised:
        Backfill("test.bad", RecipeEvent, pending=Q(nope=1), update={"user_id": "x"})
    assert raised.value.returncode == 2
    with pytest.raises(BackfillError, match="has no field named 'nope'"):
        Backfill("test.bad", RecipeEvent, pending=Q(pk=1), update={"nope": 1})


class Terminal(StringIO):
    def isatty(self):
        return True


def test_progress_shows_as_a_bar_on_a_terminal_only():
    with terminal_progress("x", StringIO()) as progress:
        assert progress is None
    screen = Terminal()
    with terminal_progress("events.fill", screen) as progress:
        progress(Progress("events.fill", 1, 500, 0.1, 500, 500, 2000, "c1", False))
        progress(Progress("events.fill", 2, 500, 0.1, 1000, 1000, None, "c2", False))
    assert "backfill events.fill" in screen.getvalue()
    assert "1,000 rows scanned, 1,000 updated" in screen.getvalue()


# The operations ---------------------------------------------------------------------------


def test_the_operation_deconstructs_describes_and_needs_pending():
    operation = RunBackfill(
        name="app.fill",
        model_name="recipeevent",
        pending=Q(day_of_week__isnull=True),
        update={"day_of_week": 1},
        reverse=RunBackfill.noop,
        batch_size=500,
    )
    name, args, kwargs = operation.deconstruct()
    assert (name, args) == ("RunBackfill", [])
    assert kwargs == {
        "name": "app.fill",
        "model_name": "recipeevent",
        "update": {"day_of_week": 1},
        "pending": Q(day_of_week__isnull=True),
        "reverse": RunBackfill.noop,
        "batch_size": 500,
    }
    assert RunBackfill(**kwargs).deconstruct() == (name, args, kwargs)
    assert operation.reversible and operation.migration_name_fragment == "backfill_app_fill"
    assert operation.describe() == "Run batched backfill app.fill of recipeevent"
    assert not RunBackfill(name="x", model_name="m", pending="true", update="a = 1").reversible
    with pytest.raises(ValueError, match="pending is required"):
        RunBackfill(name="x", model_name="m", update={"a": 1})


def test_a_backfill_in_an_atomic_migration_is_refused():
    state = MigrationLoader(connection).project_state()
    operation = RunBackfill(
        name="test.atomic", model_name="recipeevent", pending="true", update={"user_id": "x"}
    )
    refused = pytest.raises(BackfillError, match="atomic = False")
    with refused as raised, connection.schema_editor(atomic=True) as editor:
        operation.database_forwards(APP, editor, state, state)
    assert raised.value.returncode == 2


def test_backfills_are_found_by_unique_name_in_non_atomic_migrations():
    found = find_backfills()
    assert {name: (d.app_label, d.migration) for name, d in found.items()} == {
        "recipes.day_of_week": (APP, "0002_add_day_of_week"),
        "recipes.content_kind": (APP, "0005_expand_content_kind"),
        "recipes.content_type_restore": (APP, "0006_contract_content_type"),
        "recipes.session_paused": (APP, "0009_use_session_paused"),
    }
    loader = MigrationLoader(None, ignore_no_migrations=True)
    twin = loader.disk_migrations[(APP, "0005_expand_content_kind")]
    loader.disk_migrations[("other", "0001_twin")] = twin
    with pytest.raises(BackfillError, match="used twice"):
        find_backfills(loader)
    del loader.disk_migrations[("other", "0001_twin")]
    twin.atomic = True
    try:
        with pytest.raises(BackfillError, match="must say `atomic = False`"):
            find_backfills(loader)
    finally:
        twin.atomic = False


# The commands -----------------------------------------------------------------------------

STATUS_KEYS = {
    "name", "app", "migration", "applied", "deferred", "table", "status", "rows_done",
    "rows_scanned", "batches", "last_key", "started_at", "updated_at", "finished_at",
    "errors", "last_error",
}  # fmt: skip


def status_json():
    out = StringIO()
    with contextlib.suppress(CommandError):
        call_command("backfill", status=True, format="json", stdout=out)
    return json.loads(out.getvalue())["backfills"]


def command_error(*args, **options):
    with pytest.raises(CommandError) as raised:
        call_command("backfill", *args, stdout=StringIO(), **options)
    return raised.value


def test_the_backfill_command_refuses_bad_input_with_exit_code_2():
    assert "no backfill named 'nope' (known: recipes." in str(command_error("nope"))
    for args, options in [
        ((), {}),
        (("recipes.day_of_week",), {"status": True}),
        (("recipes.day_of_week",), {"batch_size": 0}),
        (("recipes.day_of_week",), {"sleep": -1.0}),
        ((), {"status": True, "max_rows": 5}),
    ]:
        error = command_error(*args, **options)
        assert error.returncode == 2, (args, options, error)
        assert "\n" not in str(error)


def test_status_reports_every_backfill_with_stable_keys(recipes):
    recipes("0001")
    recipes(LEAF)  # every backfill runs again, on an empty table
    statuses = status_json()
    assert [s["name"] for s in statuses] == sorted(find_backfills())
    assert all(set(s) == STATUS_KEYS for s in statuses)
    # migrate ran each to the end (the deferred one: its FinishBackfill).
    assert {s["status"] for s in statuses} == {"finished"}
    out = StringIO()
    call_command("backfill", status=True, stdout=out)
    assert "recipes.session_paused" in out.getvalue()


def test_makebackfill_writes_a_skeleton_that_loads():
    out = StringIO()
    call_command(
        "makebackfill", APP, "Fill the scores!", model="recipeevent", dry_run=True, stdout=out
    )
    header, text = out.getvalue().split("\n", 1)
    assert header.endswith(f"{APP}/migrations/0010_backfill_fill_the_scores.py")
    namespace = {}
    exec(compile(text, "skeleton", "exec"), namespace)
    migration = namespace["Migration"]
    assert migration.atomic is False
    assert migration.dependencies == [
        ("americano", "0001_backfill_checkpoints"),
        (APP, "0009_use_session_paused"),
    ]
    (operation,) = migration.operations
    assert isinstance(operation, RunBackfill)
    assert (operation.name, operation.model_name) == (f"{APP}.fill_the_scores", "recipeevent")
    assert "difficulty_level (difficultyLevel)" in text and "TODO" in text
    for args in [("nope", "fill"), (APP, "!!!")]:
        with pytest.raises(CommandError) as raised:
            call_command("makebackfill", *args, dry_run=True, stdout=StringIO())
        assert raised.value.returncode == 2


# The recipes ------------------------------------------------------------------------------


def manage(*args, **env):
    url, environment = libpq_target()
    environment.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="tests.settings", **env)
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_recipe_required_column_killed_backfill_then_not_null_without_a_scan(recipes):
    name = "recipes.day_of_week"
    recipes("0001")
    insert_events(3000)
    recipes("0002")  # adds the nullable column and registers the deferred backfill
    assert {s["name"]: s["status"] for s in status_json()}[name] == "pending"
    out = StringIO()
    call_command("backfill", name, dry_run=True, format="json", stdout=out)
    assert json.loads(out.getvalue())["pending_rows"] == 3000

    # The post-deploy run, killed with SIGKILL halfway.
    process = manage("backfill", name, "--batch-size", "200", "--sleep", "0.1")

    def three_batches_done():
        assert process.poll() is None, process.communicate()
        return checkpoint(name).batches >= 3

    try:
        wait_for(three_batches_done)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    wait_for(lambda: running_pid(name) is None)  # the server has ended the killed session
    saved = checkpoint(name)
    assert 3 <= saved.batches < 15 and saved.finished_at is None
    filled = sql(f'SELECT count(*) FROM {TABLE} WHERE "dayOfWeek" IS NOT NULL')[0][0]
    assert filled == saved.rows_done == saved.batches * 200
    assert sql(
        f'SELECT count(*) FROM {TABLE} WHERE ("dayOfWeek" IS NULL) = (id <= %s)', [saved.last_key]
    ) == [(0,)]

    out = StringIO()
    call_command("backfill", name, format="json", stdout=out)  # resumes, exit 0
    report = json.loads(out.getvalue())
    assert report["status"] == "finished" and report["rows_done"] == 3000
    assert report["rows"] == 3000 - saved.rows_done
    expected = 'extract(isodow FROM "timestamp")'
    assert sql(f'SELECT count(*) FROM {TABLE} WHERE "dayOfWeek" IS DISTINCT FROM {expected}') == [
        (0,)
    ]
    out = StringIO()
    call_command("backfill", name, format="json", stdout=out)
    assert json.loads(out.getvalue())["rows"] == 0

    notices = capture_notices(lambda: recipes("0003"))
    assert any("sufficient to prove that it does not contain nulls" in n for n in notices)
    assert columns()["dayOfWeek"] is True  # NOT NULL
    checks = "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'c'"
    assert sql(checks, [TABLE]) == []  # the CHECK served its purpose and is gone


def columns():
    """The recipe table's columns: name -> NOT NULL."""
    rows = sql(
        "SELECT attname, attnotnull FROM pg_attribute"
        " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [TABLE],
    )
    return dict(rows)


def capture_notices(action):
    """Run ``action`` with the server's DEBUG1 messages collected (e.g. why a scan was skipped)."""
    connection.ensure_connection()
    notices = []

    def collect(diagnostic):
        notices.append(diagnostic.message_primary)

    connection.connection.add_notice_handler(collect)
    sql("SET client_min_messages = debug1")
    try:
        action()
    finally:
        sql("RESET client_min_messages")
        connection.connection.remove_notice_handler(collect)
    return notices


def test_recipe_required_column_finishes_a_deferred_backfill_in_the_next_migration(recipes):
    recipes("0001")
    insert_events(700)
    recipes("0002")
    with pytest.raises(CommandError) as raised:
        call_command(
            "backfill", "recipes.day_of_week", max_rows=200, batch_size=100, stdout=StringIO()
        )
    assert raised.value.returncode == 1  # unfinished
    recipes("0003")  # FinishBackfill resumes it
    assert checkpoint("recipes.day_of_week").rows_done == 700
    assert sql(f'SELECT count(*) FROM {TABLE} WHERE "dayOfWeek" IS NULL') == [(0,)]


def test_recipe_rename_in_one_step_keeps_data_without_a_rewrite(recipes):
    recipes("0003")
    insert_events(500, sessionScore="n", dayOfWeek="1")
    before = sql(f'SELECT id, "sessionScore" FROM {TABLE} ORDER BY id')
    storage = sql("SELECT relfilenode FROM pg_class WHERE oid = %s::regclass", [TABLE])
    recipes("0004")
    assert sql(f'SELECT id, "performanceScore" FROM {TABLE} ORDER BY id') == before
    assert sql("SELECT relfilenode FROM pg_class WHERE oid = %s::regclass", [TABLE]) == storage


def test_recipe_rename_expand_contract_keeps_old_and_new_code_working(recipes):
    recipes("0004")
    insert_events(800, dayOfWeek="1", contentType="'kind' || mod(n, 4)")
    recipes("0005")  # expand: new column, sync trigger, backfill
    assert sql(
        f'SELECT count(*) FROM {TABLE} WHERE "contentKind" IS DISTINCT FROM "contentType"'
    ) == [(0,)]
    # Old code writes the old column, new code the new one: each sees the other's writes.
    insert_events(1, dayOfWeek="1", contentType="'old-code'")
    insert_events(1, dayOfWeek="1", contentKind="'new-code'")
    first, second = sql(f"SELECT id FROM {TABLE} ORDER BY id LIMIT 2")
    sql(f"""UPDATE {TABLE} SET "contentType" = 'old-update' WHERE id = %s""", first)
    sql(f"""UPDATE {TABLE} SET "contentKind" = 'new-update' WHERE id = %s""", second)
    pairs = sql(
        f'SELECT "contentType", "contentKind" FROM {TABLE} WHERE "contentType" NOT LIKE %s',
        ["kind%"],
    )
    assert sorted(pairs) == [(v, v) for v in ["new-code", "new-update", "old-code", "old-update"]]
    kinds = sql(f'SELECT id, "contentKind" FROM {TABLE} ORDER BY id')

    recipes("0006")  # contract
    assert sql(f'SELECT id, "contentKind" FROM {TABLE} ORDER BY id') == kinds
    assert "contentType" not in columns()
    recipes("0005")  # reversed: the old column comes back filled
    assert sql(f'SELECT id, "contentType" FROM {TABLE} ORDER BY id') == kinds


def test_recipe_text_to_integer_reports_then_refuses_or_nulls(recipes, monkeypatch):
    recipes("0006")
    values = ["1", " 2 ", "+3", "-4", "2147483647", "2147483648", "hard", "", "3.5", None]
    names = '"userId", "eventType", "eventData", "dayOfWeek", "difficultyLevel"'
    sql(
        f"INSERT INTO {TABLE} (id, {names})"
        " SELECT 'c' || lpad(k.n::text, 4, '0'), 'u', 'SESSION_STARTED', '{}', 1, k.v"
        " FROM unnest(%s::text[]) WITH ORDINALITY AS k(v, n)",
        [values],
    )
    with pytest.raises(BackfillError) as raised:
        recipes("0007")
    report = str(raised.value)
    assert report.startswith(
        "4 rows of backfill_recipes.recipe_events.difficultyLevel would not convert"
    )
    assert "c0006='2147483648', c0007='hard', c0008='', c0009='3.5'" in report
    assert "AMERICANO_ON_INVALID=null" in report
    # Nothing changed: still text, every value as it was.
    assert sql(f'SELECT "difficultyLevel" FROM {TABLE} ORDER BY id') == [(v,) for v in values]

    with monkeypatch.context() as patch:
        patch.setenv("AMERICANO_ON_INVALID", "null")
        recipes("0007")
    assert sql(f'SELECT "difficultyLevel" FROM {TABLE} ORDER BY id') == [
        (v,) for v in [1, 2, 3, -4, 2147483647, None, None, None, None, None]
    ]
    assert checkpoint("backfill_recipes.recipeevent.difficulty_level:null_invalid").rows_done == 4
    recipes("0006")
    assert sql(f'SELECT "difficultyLevel" FROM {TABLE} WHERE id = %s', ["c0002"]) == [("2",)]


def test_integer_guard_agrees_with_postgresql_on_decimal_text():
    candidates = ["0", "007", " -12 ", "+5", "\t9\n", "2147483647", "-2147483648"]
    candidates += ["2147483648", "-2147483649", "1e3", "1.0", "", " ", "- 1", "12a"]
    for value in candidates:
        try:
            sql("SELECT %s::text::integer", [value])
            converts = True
        except DataError:
            converts = False
        assert guard(value) == converts, value
    # PostgreSQL 16+ also reads these as integers; the guard does not, on every version.
    assert not any(guard(value) for value in ["0x1F", "0o17", "0b101", "1_000"])


def guard(value):
    return sql(f"SELECT {integer_guard('v')} FROM (SELECT %s::text AS v) s", [value])[0][0]


def test_recipe_enum_label_added_alone_then_used(recipes):
    recipes("0007")
    insert_events(600, dayOfWeek="1")
    paused = sql(
        f"""SELECT count(*) FROM {TABLE} WHERE "eventType" = 'SESSION_ENDED'"""
        """ AND "eventData" @> '{"paused": true}'"""
    )[0][0]
    recipes("0008")
    labels = sql(
        "SELECT enumlabel FROM pg_enum WHERE enumtypid = %s::regtype ORDER BY enumsortorder", [TYPE]
    )
    assert labels == [("SESSION_STARTED",), ("SESSION_ENDED",), ("SESSION_PAUSED",)]
    recipes("0009")
    counts = dict(sql(f'SELECT "eventType"::text, count(*) FROM {TABLE} GROUP BY 1'))
    assert counts["SESSION_PAUSED"] == paused == 100
    recipes("0007")  # the rows go back, then the label
    assert "SESSION_PAUSED" not in dict(
        sql(f'SELECT "eventType"::text, count(*) FROM {TABLE} GROUP BY 1')
    )
    assert len(sql("SELECT enumlabel FROM pg_enum WHERE enumtypid = %s::regtype", [TYPE])) == 2


def test_the_recipes_reverse_to_zero_and_apply_again(recipes):
    recipes(None)
    assert sql("SELECT to_regnamespace('backfill_recipes')") == [(None,)]
    assert [n for n in read_checkpoints() if n.startswith("recipes.")] == []
    recipes(LEAF)
    assert sorted(n for n in read_checkpoints() if n.startswith("recipes.")) == [
        "recipes.content_kind",
        "recipes.day_of_week",
        "recipes.session_paused",
    ]


def test_the_guard_and_finish_operations_deconstruct():
    guard = GuardConversion("m", "f", "true", on_invalid="null", batch_size=5)
    assert guard.deconstruct() == (
        "GuardConversion",
        ["m", "f", "true"],
        {"on_invalid": "null", "batch_size": 5},
    )
    assert FinishBackfill("x").deconstruct() == ("FinishBackfill", ["x"], {})
    with pytest.raises(ValueError, match="on_invalid"):
        GuardConversion("m", "f", "true", on_invalid="drop")


def test_a_bad_on_invalid_value_is_an_error(recipes, monkeypatch):
    recipes("0006")
    with monkeypatch.context() as patch:
        patch.setenv("AMERICANO_ON_INVALID", "drop")
        with pytest.raises(BackfillError, match="AMERICANO_ON_INVALID must be one of") as raised:
            recipes("0007")
    assert raised.value.returncode == 2
