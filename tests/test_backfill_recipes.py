"""The recipes of docs/backfills.md ("Changing data safely"), run on real rows.

Each test moves the test-only app ``tests.backfill_recipes`` to the migration its
recipe starts from, inserts rows, and migrates forwards (or backwards) over them.
"""

import json
import random
import signal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError, connection

from americano.db.backfill import BackfillError, integer_guard
from americano.db.backfill.checkpoints import read_checkpoints, running_pid
from americano.management.errors import exit_code
from tests.backfill_support import (  # noqa: F401  (recipes: a fixture)
    LEAF,
    TABLE,
    TYPE,
    assert_done_as_checkpointed,
    checkpoint,
    columns,
    insert_events,
    migrate_recipes,
    recipes,
    start_manage,
    status_json,
    touch_counter,
)
from tests.commandline import processes_left, wait_for
from tests.dbutil import sql

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow  # runs `manage.py backfill` as a child process, and kills it
@pytest.mark.usefixtures("recipes")
def test_recipe_required_column_killed_backfill_then_not_null_without_a_scan():
    name = "recipes.day_of_week"
    migrate_recipes("0001")
    insert_events(3000)
    migrate_recipes("0002")  # adds the nullable column and registers the deferred backfill
    assert {s["name"]: s["status"] for s in status_json()}[name] == "pending"
    out = StringIO()
    call_command("backfill", name, dry_run=True, format="json", stdout=out)
    assert json.loads(out.getvalue())["pending_rows"] == 3000

    # The post-deploy run, killed with SIGKILL halfway, at a random batch (the fault test of
    # SIGTERM and Ctrl-C is in test_backfill_faults.py).
    with touch_counter() as touches:
        process = start_manage("backfill", name, "--batch-size", "200", "--sleep", "0.1")
        kill_after = random.randint(3, 8)

        def batches_done():
            assert process.poll() is None, process.communicate()
            return checkpoint(name).batches >= kill_after

        try:
            wait_for(batches_done)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        assert processes_left(process.pid) == {}  # its process group is gone
        wait_for(
            lambda: running_pid(name, connection) is None
        )  # the server has ended the killed session
        saved = checkpoint(name)
        assert kill_after <= saved.batches < 15 and saved.finished_at is None, kill_after
        filled = sql(f'SELECT count(*) FROM {TABLE} WHERE "dayOfWeek" IS NOT NULL')[0][0]
        assert filled == saved.rows_done == saved.batches * 200
        assert_done_as_checkpointed(name, '"dayOfWeek" IS NOT NULL')
        assert touches() == {1: saved.rows_done, 0: 3000 - saved.rows_done}

        out = StringIO()
        call_command("backfill", name, format="json", stdout=out)  # resumes, exit 0
        report = json.loads(out.getvalue())
        assert report["status"] == "finished" and report["rows_done"] == 3000
        assert report["rows"] == 3000 - saved.rows_done
        assert touches() == {1: 3000}  # every row updated exactly once, over both runs
    expected = 'extract(isodow FROM "timestamp")'
    assert sql(f'SELECT count(*) FROM {TABLE} WHERE "dayOfWeek" IS DISTINCT FROM {expected}') == [
        (0,)
    ]
    out = StringIO()
    call_command("backfill", name, format="json", stdout=out)
    assert json.loads(out.getvalue())["rows"] == 0

    notices = capture_notices(lambda: migrate_recipes("0003"))
    assert any("sufficient to prove that it does not contain nulls" in n for n in notices)
    assert columns()["dayOfWeek"] is True  # NOT NULL
    checks = "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'c'"
    assert sql(checks, [TABLE]) == []  # the CHECK served its purpose and is gone


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


@pytest.mark.usefixtures("recipes")
def test_recipe_required_column_finishes_a_deferred_backfill_in_the_next_migration():
    migrate_recipes("0001")
    insert_events(700)
    migrate_recipes("0002")
    with pytest.raises(CommandError) as raised:
        call_command(
            "backfill", "recipes.day_of_week", max_rows=200, batch_size=100, stdout=StringIO()
        )
    assert raised.value.returncode == 1  # unfinished
    migrate_recipes("0003")  # FinishBackfill resumes it
    assert checkpoint("recipes.day_of_week").rows_done == 700
    assert sql(f'SELECT count(*) FROM {TABLE} WHERE "dayOfWeek" IS NULL') == [(0,)]


@pytest.mark.usefixtures("recipes")
def test_recipe_rename_in_one_step_keeps_data_without_a_rewrite():
    migrate_recipes("0003")
    insert_events(500, sessionScore="n", dayOfWeek="1")
    before = sql(f'SELECT id, "sessionScore" FROM {TABLE} ORDER BY id')
    storage = sql("SELECT relfilenode FROM pg_class WHERE oid = %s::regclass", [TABLE])
    migrate_recipes("0004")
    assert sql(f'SELECT id, "performanceScore" FROM {TABLE} ORDER BY id') == before
    assert sql("SELECT relfilenode FROM pg_class WHERE oid = %s::regclass", [TABLE]) == storage


@pytest.mark.usefixtures("recipes")
def test_recipe_rename_expand_contract_keeps_old_and_new_code_working():
    migrate_recipes("0004")
    insert_events(800, dayOfWeek="1", contentType="'kind' || mod(n, 4)")
    migrate_recipes("0005")  # expand: new column, sync trigger, backfill
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

    migrate_recipes("0006")  # contract
    assert sql(f'SELECT id, "contentKind" FROM {TABLE} ORDER BY id') == kinds
    assert "contentType" not in columns()
    migrate_recipes("0005")  # reversed: the old column comes back filled
    assert sql(f'SELECT id, "contentType" FROM {TABLE} ORDER BY id') == kinds


@pytest.mark.usefixtures("recipes")
def test_recipe_text_to_integer_reports_then_refuses_or_nulls(monkeypatch):
    migrate_recipes("0006")
    values = ["1", " 2 ", "+3", "-4", "2147483647", "2147483648", "hard", "", "3.5", None]
    names = '"userId", "eventType", "eventData", "dayOfWeek", "difficultyLevel"'
    sql(
        f"INSERT INTO {TABLE} (id, {names})"
        " SELECT 'c' || lpad(k.n::text, 4, '0'), 'u', 'SESSION_STARTED', '{}', 1, k.v"
        " FROM unnest(%s::text[]) WITH ORDINALITY AS k(v, n)",
        [values],
    )
    with pytest.raises(BackfillError) as raised:
        migrate_recipes("0007")
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
        migrate_recipes("0007")
    assert sql(f'SELECT "difficultyLevel" FROM {TABLE} ORDER BY id') == [
        (v,) for v in [1, 2, 3, -4, 2147483647, None, None, None, None, None]
    ]
    assert checkpoint("backfill_recipes.recipeevent.difficulty_level:null_invalid").rows_done == 4
    migrate_recipes("0006")
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


@pytest.mark.usefixtures("recipes")
def test_recipe_enum_label_added_alone_then_used():
    migrate_recipes("0007")
    insert_events(600, dayOfWeek="1")
    paused = sql(
        f"""SELECT count(*) FROM {TABLE} WHERE "eventType" = 'SESSION_ENDED'"""
        """ AND "eventData" @> '{"paused": true}'"""
    )[0][0]
    migrate_recipes("0008")
    labels = sql(
        "SELECT enumlabel FROM pg_enum WHERE enumtypid = %s::regtype ORDER BY enumsortorder", [TYPE]
    )
    assert labels == [("SESSION_STARTED",), ("SESSION_ENDED",), ("SESSION_PAUSED",)]
    migrate_recipes("0009")
    counts = dict(sql(f'SELECT "eventType"::text, count(*) FROM {TABLE} GROUP BY 1'))
    assert counts["SESSION_PAUSED"] == paused == 100
    migrate_recipes("0007")  # the rows go back, then the label
    assert "SESSION_PAUSED" not in dict(
        sql(f'SELECT "eventType"::text, count(*) FROM {TABLE} GROUP BY 1')
    )
    assert len(sql("SELECT enumlabel FROM pg_enum WHERE enumtypid = %s::regtype", [TYPE])) == 2


@pytest.mark.usefixtures("recipes")
def test_the_recipes_reverse_to_zero_and_apply_again():
    migrate_recipes(None)
    assert sql("SELECT to_regnamespace('backfill_recipes')") == [(None,)]
    assert [n for n in read_checkpoints(connection) if n.startswith("recipes.")] == []
    migrate_recipes(LEAF)
    assert sorted(n for n in read_checkpoints(connection) if n.startswith("recipes.")) == [
        "recipes.content_kind",
        "recipes.day_of_week",
        "recipes.session_paused",
    ]


@pytest.mark.usefixtures("recipes")
def test_a_bad_on_invalid_value_is_an_error(monkeypatch):
    migrate_recipes("0006")
    with monkeypatch.context() as patch:
        patch.setenv("AMERICANO_ON_INVALID", "drop")
        with pytest.raises(BackfillError, match="AMERICANO_ON_INVALID must be one of") as raised:
            migrate_recipes("0007")
    assert exit_code(raised.value) == 2
