"""What the adoption tests share: a database as Prisma built it, with data, copied per case.

The template is built once: Prisma's DDL for the contract (``tests.prisma_ddl``),
a ``_prisma_migrations`` with the rows a real history leaves (applied, a failed
attempt rolled back and applied again), and the demo data set (``manage.py seed_demo`` on
a copy of the migrated database, copied over with ``pg_dump --data-only``:
``seed_demo`` refuses a database without Django migrations). Each case works on a
``CREATE DATABASE ... TEMPLATE`` copy of it.
"""

import contextlib
import subprocess
import uuid
from collections.abc import Iterator

import psycopg

from americano.ops.databases import connection_for_url
from americano.ops.drift import standing_in_as_default
from tests.commandline import manage
from tests.dbutil import create_database, drop_database, libpq_target, pg_program, run_psql
from tests.prisma_ddl import PRISMA_MIGRATIONS_DDL, load_contract, prisma_ddl

CONTRACT_TABLES = tuple(load_contract()["tables"])
DEMO_USERS = 2

#: ``_prisma_migrations`` as production's history left it: (name, state).
PRISMA_HISTORY = (
    ("20251014120000_init", "applied"),
    ("20251015093000_missions_and_cards", "applied"),
    ("20251016101500_epic3_search", "rolled-back"),
    ("20251016103000_epic3_search", "applied"),
    ("20251021080000_epic5_behavioral_core", "applied"),
    ("20251102090000_understanding_validation", "applied"),
)
#: The Prisma migrations an adoption of the template replaces, in order.
REPLACED = [name for name, state in PRISMA_HISTORY if state == "applied"]
FAILED_LOG = (
    'Database error code: 42701\n\nDatabase error:\nERROR: column "goalType" of relation '
    '"study_goals" already exists'
)


def prisma_row(name: str, state: str, minute: int) -> str:
    """An INSERT of one ``_prisma_migrations`` row as Prisma writes it for ``state``:
    ``applied``, ``rolled-back``, ``failed`` or ``unfinished``."""
    started = f"timestamptz '2025-11-01 09:00:00+00' + interval '{minute} minutes'"
    finished = f"{started} + interval '2 seconds'" if state == "applied" else "NULL"
    rolled_back = f"{started} + interval '1 hour'" if state == "rolled-back" else "NULL"
    logs = (
        "NULL" if state in ("applied", "unfinished") else "'" + FAILED_LOG.replace("'", "''") + "'"
    )
    steps = 1 if state == "applied" else 0
    return (
        "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs,"
        f" rolled_back_at, started_at, applied_steps_count) VALUES ('{uuid.uuid4()}',"
        f" md5('{name}') || md5('{name}'), {finished}, '{name}', {logs}, {rolled_back},"
        f" {started}, {steps})"
    )


def _copy_demo_data(source_url: str, target_url: str, env: dict) -> None:
    """The schema tables' rows of ``source`` into ``target`` (same DDL), in one transaction."""
    tables = [arg for table in CONTRACT_TABLES for arg in ("-t", f'public."{table}"')]
    dump = subprocess.run(
        [pg_program("pg_dump"), "--data-only", "--no-owner", *tables, source_url],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    subprocess.run(
        [pg_program("psql"), "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", target_url],
        input=dump,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def build_prisma_template(history_db_name: str) -> str:
    """Create the template database (see the module) and return its name."""
    name = f"adopt_template_{uuid.uuid4().hex[:10]}"
    seeded = f"adopt_seeded_{uuid.uuid4().hex[:10]}"
    create_database(name)
    create_database(seeded, template=history_db_name)
    try:
        url, env = libpq_target(name)
        seeded_url, _ = libpq_target(seeded)
        run_psql(url, env, prisma_ddl(load_contract()), PRISMA_MIGRATIONS_DDL)
        run_psql(url, env, *(prisma_row(n, s, i) for i, (n, s) in enumerate(PRISMA_HISTORY)))
        seeded_run = manage(
            "seed_demo",
            "--users",
            str(DEMO_USERS),
            "--seed",
            "13",
            env=env,
            DATABASE_URL=seeded_url,
        )
        assert seeded_run.returncode == 0, seeded_run.stderr
        _copy_demo_data(seeded_url, url, env)
    except BaseException:
        drop_database(name)
        raise
    finally:
        drop_database(seeded)
    return name


@contextlib.contextmanager
def live(url: str) -> Iterator:
    """A Django connection to ``url``, standing in as the default connection (library code
    that reaches a connection by its alias then reaches this one), closed afterwards."""
    connection = connection_for_url(url)
    try:
        with standing_in_as_default(connection):
            yield connection
    finally:
        connection.close()


CONTENTS = """
SELECT %(table)s, count(*),
       md5(coalesce(string_agg(md5(r::text), '' ORDER BY md5(r::text)), ''))
FROM {table} r
"""


def contents(url: str, env: dict) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the rows of every schema table there and of
    ``_prisma_migrations``."""
    with psycopg.connect(url, password=env.get("PGPASSWORD")) as db:
        present = db.execute(
            "SELECT t FROM unnest(%s::text[]) t WHERE to_regclass(quote_ident(t)) IS NOT NULL",
            [[*CONTRACT_TABLES, "_prisma_migrations"]],
        ).fetchall()
        query = " UNION ALL ".join(
            CONTENTS.replace("%(table)s", f"'{t}'").format(table=f'"{t}"') for (t,) in present
        )
        return {table: (count, digest) for table, count, digest in db.execute(query)}


def has_table(url: str, env: dict, table: str) -> bool:
    return run_psql(url, env, f"SELECT to_regclass('{table}') IS NOT NULL").strip() == "t"


def without_label(enum: str, label: str) -> list[str]:
    """SQL that rebuilds enum type ``enum`` without ``label`` (no row may hold it), as a
    database whose type was created before the label was added would have it."""
    labels = ", ".join(f"'{value}'" for value in load_contract()["enums"][enum] if value != label)
    columns = [
        (table, column, spec["default"])
        for table, table_spec in load_contract()["tables"].items()
        for column, spec in table_spec["columns"].items()
        if spec["type"] == f'"{enum}"'
    ]
    statements = [f'ALTER TYPE "{enum}" RENAME TO "{enum}_old"']
    statements.append(f'CREATE TYPE "{enum}" AS ENUM ({labels})')
    for table, column, default in columns:
        if default:
            statements.append(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" DROP DEFAULT')
        statements.append(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE "{enum}"'
            f' USING "{column}"::text::"{enum}"'
        )
        if default:
            statements.append(
                f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET DEFAULT {default}'
            )
    statements.append(f'DROP TYPE "{enum}_old"')
    return statements
