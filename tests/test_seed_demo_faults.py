"""seed_demo stopped at a random point, as an operator or the machine stops it.

A real ``manage.py seed_demo --replace`` runs in a child process on a database
that holds a clean run's data set, and gets SIGTERM, SIGINT (Ctrl-C) or SIGKILL
at a random moment of its transaction. Afterwards no process of it is left, no session of it stays
on the server, the database is exactly as before (every row of every table: the
deletion that ``--replace`` starts with is undone too), and the next run writes
exactly what an uninterrupted run writes.
"""

import json
import random
import signal
import subprocess
import time

import psycopg
import pytest
from psycopg import sql

from tests.commandline import (
    assert_one_line_error,
    finish,
    manage,
    processes_left,
    start_manage,
)
from tests.dbutil import temporary_database

pytestmark = pytest.mark.slow  # each test runs seed_demo in a child process, twice

SEED_ARGS = ("seed_demo", "--users", "30", "--seed", "7", "--until", "2026-09-30")


def connect(url: str, env: dict) -> psycopg.Connection:
    return psycopg.connect(url, password=env.get("PGPASSWORD"), autocommit=True)


def table_state(url: str, env: dict) -> dict[str, tuple[int, str | None, str | None]]:
    """Per table: rows, a digest of their ids, a digest of the rows themselves."""
    with connect(url, env) as conn:
        tables = conn.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public'"
        ).fetchall()
        state = {}
        for (table,) in tables:
            query = sql.SQL(
                "SELECT count(*),"
                " md5(string_agg(to_jsonb(t) ->> 'id', ',' ORDER BY to_jsonb(t) ->> 'id')),"
                " md5(string_agg(md5(t::text), '' ORDER BY md5(t::text)))"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
            state[table] = conn.execute(query).fetchone()
        return state


def as_a_clean_run(state: dict) -> dict:
    """Rows and ids per table: what the same seed writes again (``updatedAt`` is the run's
    time, so the rows themselves differ)."""
    return {table: (rows, ids) for table, (rows, ids, _) in state.items()}


def sessions_of_others(url: str, env: dict) -> int:
    with connect(url, env) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        ).fetchone()[0]


def wait_for_transaction(url: str, env: dict, process: subprocess.Popen) -> None:
    """Return once the child has a transaction open on the database."""
    deadline = time.monotonic() + 60
    with connect(url, env) as conn:
        while time.monotonic() < deadline and process.poll() is None:
            open_ = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
            ).fetchone()[0]
            if open_:
                return
            time.sleep(0.02)
    pytest.fail("seed_demo never opened a transaction")


def wait_until(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="module")
def seeded(history_db, django_db_blocker):
    """A migrated database holding a clean run's data set: ``(url, env, what it holds as a
    clean run, seconds the run took)``."""
    with temporary_database("seed_faults", history_db[0], django_db_blocker) as (_, url, env):
        clean = manage(*SEED_ARGS, "--format", "json", env=env, DATABASE_URL=url)
        assert clean.returncode == 0, clean.stderr
        seconds = json.loads(clean.stdout)["seconds"]
        yield url, env, as_a_clean_run(table_state(url, env)), seconds


@pytest.mark.parametrize(
    "stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name
)
def test_a_stopped_run_leaves_the_database_as_before(seeded, stop):
    url, env, clean, seconds = seeded
    before = table_state(url, env)
    process = start_manage(*SEED_ARGS, "--replace", env=env, DATABASE_URL=url)
    wait_for_transaction(url, env, process)
    # Anywhere in the first two thirds of the time a whole run takes (--replace deletes first).
    delay = random.uniform(0, seconds * 2 / 3)
    time.sleep(delay)
    process.send_signal(stop)
    result = finish(process)
    where = f"{stop.name} after {delay:.2f} s of {seconds} s"
    if stop != signal.SIGKILL:
        assert result.returncode == 2, (where, result.stderr)
        assert_one_line_error(result)
        assert f"interrupted ({stop.name}): nothing written" in result.stderr, where
        assert result.stdout == ""
    else:
        assert result.returncode == -signal.SIGKILL, (where, result.stderr)
    assert processes_left(process.pid) == {}, where
    assert wait_until(lambda: sessions_of_others(url, env) == 0), f"{where}: a session is left"
    assert table_state(url, env) == before, f"{where}: the database changed"
    again = manage(*SEED_ARGS, "--replace", env=env, DATABASE_URL=url)
    assert again.returncode == 0, again.stderr
    assert as_a_clean_run(table_state(url, env)) == clean
