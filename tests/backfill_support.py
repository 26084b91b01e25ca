"""What the backfill tests share: the recipes app, its rows, and ways to look at a backfill.

The recipes are the migrations of the test-only app ``tests.backfill_recipes``; a
test moves that app back to the state a recipe starts from, inserts rows, and
migrates forwards (or backwards) over them. Test modules take the ``recipes``
fixture with ``@pytest.mark.usefixtures("recipes")`` (imported from here).
"""

import contextlib
import json
import subprocess
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from americano.db.backfill import Backfill
from americano.db.backfill.checkpoints import read_checkpoints, session_pids
from americano.db.fields import new_cuid
from americano.models import BackfillRange
from tests import commandline
from tests.backfill_recipes.models import RecipeEvent
from tests.dbutil import libpq_target, sql

APP = "backfill_recipes"
LEAF = "0009"
TABLE = '"backfill_recipes"."recipe_events"'
TYPE = '"backfill_recipes"."RecipeEventType"'
TOUCHES = '"backfill_recipes"."recipe_touches"'
COUNT_TOUCH = '"backfill_recipes"."count_touch"'
#: The deferred backfill of recipe 1 (migration 0002), run by ``manage.py backfill``.
DAY_OF_WEEK = "recipes.day_of_week"


def migrate_recipes(target: str | None) -> None:
    """Move the recipes app to migration ``target`` (a prefix), or to zero with None."""
    executor = MigrationExecutor(connection)
    name = None
    if target is not None:
        name = executor.loader.get_migration_by_prefix(APP, target).name
    executor.migrate([(APP, name)])


@pytest.fixture
def recipes():
    """Afterwards the rows go, the checkpoints too, and the app is back at its last migration."""
    yield
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


def pending_backfill(rows: int) -> None:
    """Backfill ``DAY_OF_WEEK`` registered, not started, over ``rows`` rows (migration 0002)."""
    migrate_recipes("0001")
    insert_events(rows)
    migrate_recipes("0002")


def walking(process, name: str = DAY_OF_WEEK, batches: int = 1):
    """A condition: ``process`` runs and backfill ``name`` has committed ``batches``."""

    def condition() -> bool:
        assert process.poll() is None, process.communicate()
        saved = checkpoint(name)
        return saved is not None and saved.batches >= batches

    return condition


def rows_checkpointed(name: str) -> tuple[str, list]:
    """An SQL condition (and its parameters) on the recipe table: the rows that the checkpoint
    of backfill ``name`` says are done: up to ``last_key``, and in the ranges done after it
    (a run killed between a batch's commit and the checkpoint's move leaves those)."""
    saved = checkpoint(name)
    parts, params = [], []
    if saved.last_key is not None:
        parts.append("id <= %s")
        params.append(saved.last_key)
    for done in BackfillRange.objects.filter(backfill__name=name, state="done"):
        parts.append("(id > %s AND id <= %s)" if done.lower_key else "id <= %s")
        params += [done.lower_key, done.upper_key] if done.lower_key else [done.upper_key]
    return " OR ".join(parts) or "false", params


def assert_done_as_checkpointed(name: str, done: str) -> None:
    """The rows for which SQL condition ``done`` holds are exactly those the checkpoint says."""
    condition, params = rows_checkpointed(name)
    mismatched = f"SELECT count(*) FROM {TABLE} WHERE ({done}) IS DISTINCT FROM ({condition})"
    assert sql(mismatched, params) == [(0,)]


def waits_on_a_lock(name: str) -> bool:
    """Whether a session of backfill ``name`` (its coordinator or a worker) waits on a lock."""
    pids = session_pids(name, connection)
    waiting = "SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s) AND wait_event_type = 'Lock'"
    return bool(sql(waiting, [pids]))


def bulk_events(count: int) -> None:
    RecipeEvent.objects.bulk_create(
        RecipeEvent(
            user_id=f"user{n % 5}", event_type="SESSION_STARTED", event_data={}, day_of_week=1
        )
        for n in range(count)
    )


def checkpoint(name: str):
    """The checkpoint row of backfill ``name`` on the test database, or None."""
    return read_checkpoints(connection).get(name)


def scores_backfill(**options) -> Backfill:
    """A deliberately non-idempotent backfill: every visit adds 1, so a redone row shows 2."""
    options.setdefault("batch_size", 250)
    return Backfill(
        "test.scores",
        RecipeEvent,
        connection=connection,
        pending=Q(pk__isnull=False),  # every row, on purpose: the walk alone must not repeat
        update={"performance_score": Coalesce(F("performance_score"), 0) + 1},
        **options,
    )


def score_counts() -> dict:
    return dict(sql(f'SELECT "performanceScore", count(*) FROM {TABLE} GROUP BY 1'))


def columns() -> dict:
    """The recipe table's columns: name -> NOT NULL."""
    rows = sql(
        "SELECT attname, attnotnull FROM pg_attribute"
        " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [TABLE],
    )
    return dict(rows)


@contextlib.contextmanager
def other_session():
    """A second connection to the test database, in an open transaction."""
    params = connection.get_connection_params()
    keys = ("dbname", "user", "password", "host", "port")
    with psycopg.connect(**{k: params[k] for k in keys if params.get(k)}) as other:
        yield other
        other.rollback()


def status_json() -> list[dict]:
    """``backfill --status --format json``: every backfill, whatever the exit code."""
    out = StringIO()
    with contextlib.suppress(CommandError):
        call_command("backfill", status=True, format="json", stdout=out)
    return json.loads(out.getvalue())["backfills"]


def start_manage(*args: str) -> subprocess.Popen:
    """``manage.py ARGS`` in the background on the test database, with the test settings
    (which know the recipes app)."""
    url, env = libpq_target()
    return commandline.start_manage(*args, env=env, settings="tests.settings", DATABASE_URL=url)


@contextlib.contextmanager
def touch_counter():
    """Count every UPDATE of each recipe row (a trigger writes one row per row updated);
    yields ``touches()``: {times updated: rows}, so "each row exactly once" is ``{1: n}``."""
    sql(f"CREATE TABLE {TOUCHES} (id text NOT NULL, n bigserial)")  # n: the order of updates
    sql(
        f"CREATE FUNCTION {COUNT_TOUCH}() RETURNS trigger LANGUAGE plpgsql"
        f" AS $$ BEGIN INSERT INTO {TOUCHES} VALUES (NEW.id); RETURN NULL; END $$"
    )
    sql(
        f"CREATE TRIGGER count_touch AFTER UPDATE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION"
        f" {COUNT_TOUCH}()"
    )

    def touches() -> dict[int, int]:
        return dict(
            sql(
                f"SELECT coalesce(t.n, 0), count(*) FROM {TABLE} AS e LEFT JOIN"
                f" (SELECT id, count(*) AS n FROM {TOUCHES} GROUP BY id) AS t USING (id)"
                " GROUP BY 1"
            )
        )

    try:
        yield touches
    finally:
        sql(f"DROP TRIGGER IF EXISTS count_touch ON {TABLE}")
        sql(f"DROP FUNCTION IF EXISTS {COUNT_TOUCH}()")
        sql(f"DROP TABLE IF EXISTS {TOUCHES}")


class Terminal(StringIO):
    """Standard output as a terminal, where progress bars are drawn."""

    def isatty(self) -> bool:
        return True
