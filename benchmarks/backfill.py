"""Time one single UPDATE against the batched backfill of the same change, in the same run.

    .venv/bin/python benchmarks/backfill.py [--rows 1000000] [--batch-size 4000] [--rounds 1]
        [--workers 1 2] [--hold-snapshot] [--bare-loop]

A scratch database on the embedded server (found with ``americano.db.embedded``;
dropped at the end) gets identical copies of a table shaped like
``behavioral_events``, one per side: cuid text keys in insertion order, a jsonb
payload, an enum, its eight indexes; vacuumed, analysed, and kept from autovacuum
(the dead rows of one side would start it while another side runs). The change is
the backfill of a new column, ``"dayOfWeek" = extract(isodow from "timestamp")``
where it is NULL: one ``UPDATE`` on one copy, ``americano.db.backfill.Backfill``
(range-bounded batches, one transaction and one range checkpoint each) with each
``--workers`` count on the others, each side after a CHECKPOINT. Prints, for every
side, the time and rows/s, the WAL the server wrote meanwhile and the slowest batch,
and each ratio with both of its sides; with ``--rounds N``, fresh tables each round
and the order of the sides rotating, the median and the worst of the rounds' paired
comparisons. The load average of the machine is printed before and after each round.
Targets: batched throughput >= 0.9x the single UPDATE's with 1 worker, >= 1.2x with 2
or more; slowest batch <= 1/50 of the single UPDATE's time.
Exit status 1 when a target is missed.
"""

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cuid  # noqa: E402
import django  # noqa: E402
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402

from americano.db import embedded  # noqa: E402
from americano.db.config import database_settings  # noqa: E402

PGDATA = ROOT / ".pgdata"
#: Throughput targets against the single UPDATE, by workers (2 stands for 2 or more).
THROUGHPUT_TARGETS = {1: 0.9, 2: 1.2}
SLOWEST_BATCH_TARGET = 50
CHANGE = '"dayOfWeek" = extract(isodow FROM "timestamp")::integer'
PENDING = '"dayOfWeek" IS NULL'

TABLE_DDL = """
CREATE TABLE {table} (
    "id" text NOT NULL PRIMARY KEY,
    "userId" text NOT NULL,
    "eventType" "BenchEventType" NOT NULL,
    "eventData" jsonb NOT NULL,
    "timestamp" timestamp(3) without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "contentType" text,
    "dayOfWeek" integer,
    "difficultyLevel" text,
    "sessionPerformanceScore" integer,
    "timeOfDay" integer,
    "experimentPhase" text,
    "contextMetadataId" text
)
"""
INDEXES = [
    ["userId"],
    ["eventType"],
    ["timestamp"],
    ["userId", "eventType", "timestamp"],
    ["userId", "dayOfWeek"],
    ["userId", "timeOfDay"],
    ["experimentPhase"],
    ["contextMetadataId"],
]


def setup_django(database: str) -> None:
    """Django with only the ``americano`` app, on the scratch database."""
    config = database_settings(None, PGDATA)
    config["NAME"] = database
    settings.configure(
        DATABASES={"default": config},
        INSTALLED_APPS=["americano"],
        USE_TZ=True,
        TIME_ZONE="UTC",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


def admin_connection() -> psycopg.Connection:
    host = str(embedded.ensure_server(str(PGDATA)))
    return psycopg.connect(host=host, dbname="postgres", user="postgres", autocommit=True)


def build_tables(cursor, rows: int, tables: list[str]) -> None:
    """Identical copies of an event table, one per side; the first is filled, the others
    copied from it."""
    cursor.execute(
        "CREATE TYPE \"BenchEventType\" AS ENUM ('SESSION_STARTED', 'SESSION_ENDED',"
        " 'CARD_REVIEWED', 'OBJECTIVE_COMPLETED')"
    )
    cursor.execute("DROP TABLE IF EXISTS keys")
    cursor.execute("CREATE TEMPORARY TABLE keys (n bigint, id text)")
    with cursor.copy("COPY keys (n, id) FROM STDIN") as copy:
        for n in range(rows):
            copy.write_row((n, cuid.cuid()))
    for table in tables:
        cursor.execute(TABLE_DDL.format(table=table))
    cursor.execute(
        f"""
        INSERT INTO {tables[0]} ("id", "userId", "eventType", "eventData", "timestamp",
            "contentType", "difficultyLevel", "sessionPerformanceScore", "timeOfDay",
            "experimentPhase", "contextMetadataId")
        SELECT id, 'user' || (n % 5000),
            (ARRAY['SESSION_STARTED', 'SESSION_ENDED', 'CARD_REVIEWED',
                   'OBJECTIVE_COMPLETED'])[1 + n % 4]::"BenchEventType",
            jsonb_build_object('cardId', 'card' || (n % 20000), 'durationMs', n % 90000,
                               'rating', n % 5, 'source', 'web'),
            timestamp '2025-01-01' + n * interval '3 seconds',
            CASE WHEN n % 3 = 0 THEN 'flashcard' END,
            (ARRAY['easy', 'medium', 'hard'])[1 + n % 3],
            n % 100, (n / 120) % 24,
            CASE WHEN n % 10 = 0 THEN 'treatment' END,
            CASE WHEN n % 7 = 0 THEN 'ctx' || (n % 1000) END
        FROM keys ORDER BY n
        """
    )
    for table in tables[1:]:
        cursor.execute(f"INSERT INTO {table} SELECT * FROM {tables[0]} ORDER BY ctid")
    for table in tables:
        for columns in INDEXES:
            name = f"{table}_{'_'.join(columns)}_idx"
            quoted = ", ".join(f'"{column}"' for column in columns)
            cursor.execute(f'CREATE INDEX "{name}" ON {table} ({quoted})')
        # Each side leaves as many dead rows; its autovacuum must not run during the other.
        cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        cursor.execute(f"VACUUM (ANALYZE) {table}")
    cursor.execute("CHECKPOINT")


def event_model(table: str):
    """A throw-away model of ``table``, in a registry of its own: the backfill needs its key."""
    from django.apps.registry import Apps
    from django.db import models

    meta = type("Meta", (), {"db_table": table, "app_label": "benchmarks", "apps": Apps()})
    attributes = {"__module__": __name__, "Meta": meta, "id": models.TextField(primary_key=True)}
    return type("BenchEvent", (models.Model,), attributes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--batch-size", type=int, help="Rows per batch (default: the runner's, 4000)."
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="Fresh tables each round, the order of the sides rotating; medians and worst.",
    )
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, 2],
        help="The workers of each batched side (default: 1 2, two sides).",
    )
    parser.add_argument(
        "--hold-snapshot",
        action="store_true",
        help="A diagnostic side (no target): the 1-worker backfill while another session holds"
        " a snapshot, so that no dead row version can be cleaned up during the walk, as"
        " during the single UPDATE's transaction.",
    )
    parser.add_argument(
        "--bare-loop",
        action="store_true",
        help="Diagnostic sides (no target): for each --workers count, the same batches run by"
        " as many threads with plain connections and no runner (no checkpoint, no claims):"
        " how fast batches of this size can go on this server at all.",
    )
    options = parser.parse_args()

    database = f"bench_backfill_{uuid.uuid4().hex[:10]}"
    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        setup_django(database)
        from americano.db.backfill import BATCH_SIZE  # needs the app registry

        if options.batch_size is None:
            options.batch_size = BATCH_SIZE
        rounds = [
            run_round(
                options.rows,
                options.batch_size,
                options.workers,
                number,
                options.hold_snapshot,
                options.bare_loop,
            )
            for number in range(options.rounds)
        ]
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    met, text = summary(rounds, options.rows, options.batch_size, options.workers)
    print(text)
    sys.exit(0 if met else 1)


def wal_position(cursor) -> str:
    cursor.execute("SELECT pg_current_wal_lsn()")
    return cursor.fetchone()[0]


def wal_since(cursor, position: str) -> float:
    cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [position])
    return float(cursor.fetchone()[0])


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def raw_connection(connection, autocommit: bool = False) -> psycopg.Connection:
    """A plain psycopg connection to the database of Django's ``connection``."""
    params = connection.get_connection_params()
    keys = ("dbname", "user", "host", "port")
    return psycopg.connect(
        **{key: params[key] for key in keys if params.get(key)}, autocommit=autocommit
    )


def bare_loop(connection, table: str, batch_size: int, threads: int) -> float:
    """The same batches with no runner: ranges of ``batch_size`` keys bounded up front, then
    ``threads`` plain connections each taking the next one, one transaction per batch, no
    checkpoint. The ceiling of a batched walk on this server; its time, bounding included."""
    started = time.perf_counter()
    with raw_connection(connection, autocommit=True) as bounder:
        bounds = [
            key
            for (key,) in bounder.execute(
                f'SELECT "id" FROM (SELECT "id", row_number() OVER (ORDER BY "id") AS n'
                f' FROM {table}) AS keys WHERE n %% %s = 0 ORDER BY "id"',
                [batch_size],
            )
        ]
    ranges = iter(zip([None, *bounds], [*bounds, None], strict=True))
    taking = threading.Lock()

    def work() -> None:
        with raw_connection(connection, autocommit=True) as worker:
            while True:
                with taking:
                    lower, upper = next(ranges, (False, False))
                if lower is False:
                    return
                limits = [(">", lower), ("<=", upper)]
                where = "".join(f' AND "id" {op} %s' for op, key in limits if key is not None)
                with worker.transaction():
                    worker.execute(
                        f"UPDATE {table} SET {CHANGE} WHERE {PENDING}{where}",
                        [key for _, key in limits if key is not None],
                    )

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - started


@contextmanager
def holding_snapshot(connection, table: str) -> Iterator[None]:
    """Another session holds a snapshot taken before the block, as long as the block lasts:
    no row version that dies meanwhile can be cleaned up, as during one UPDATE's own
    transaction (a diagnostic: a real backfill must not hold back the xmin horizon)."""
    with raw_connection(connection) as holder:
        holder.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        holder.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS taken")
        yield
        holder.rollback()


def run_round(
    rows: int, batch_size: int, workers: list[int], number: int, hold_snapshot: bool, bare: bool
) -> dict:
    """Fresh tables, then every side, each after a CHECKPOINT, in an order that rotates
    from round to round: times, WAL, slowest batches."""
    from django.db import connection

    from americano.db.backfill import Backfill
    from americano.models import BackfillRange, BackfillRun

    tables = ["bench_single", *(f"bench_workers_{count}" for count in workers)]
    if hold_snapshot:
        tables.append("bench_held")
    if bare:
        tables += [f"bench_bare_{count}" for count in workers]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(tables)}")
        cursor.execute('DROP TABLE IF EXISTS "americano_backfill_range", "americano_backfill"')
        cursor.execute('DROP TYPE IF EXISTS "BenchEventType"')
    with connection.schema_editor() as editor:
        editor.create_model(BackfillRun)
        editor.create_model(BackfillRange)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        build_tables(cursor, rows, tables)
    print(
        f"round {number + 1}: built {len(tables)} tables of {rows:,} rows in"
        f" {time.perf_counter() - started:.0f} s; {load()}",
        flush=True,
    )
    measured = {}

    def single() -> None:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
            position, started = wal_position(cursor), time.perf_counter()
            cursor.execute(f"UPDATE bench_single SET {CHANGE} WHERE {PENDING}")
            seconds = time.perf_counter() - started
            assert cursor.rowcount == rows, cursor.rowcount
            measured["single"] = {"seconds": seconds, "wal": wal_since(cursor, position)}

    def batched(count: int, held: bool = False):
        key, table = ("held", "bench_held") if held else (count, f"bench_workers_{count}")

        def side() -> None:
            backfill = Backfill(
                f"bench.day_of_week.{key}",
                event_model(table),
                connection=connection,
                pending=PENDING,
                update=CHANGE,
                batch_size=batch_size,
                workers=count,
            )
            held_snapshot = holding_snapshot(connection, table) if held else nullcontext()
            with connection.cursor() as cursor:
                cursor.execute("CHECKPOINT")
                position = wal_position(cursor)
                with held_snapshot:
                    result = backfill.run()
                wal = wal_since(cursor, position)
            assert result.finished and result.rows == rows, result
            measured[key] = {
                "seconds": result.seconds,
                "wal": wal,
                "slowest": result.slowest_batch,
                "batches": result.batches,
                "paused": result.paused_seconds,
            }

        side.__name__ = "1 worker, snapshot held" if held else f"{count} worker(s)"
        side.key = key
        return side

    def bare_side(count: int):
        def side() -> None:
            with connection.cursor() as cursor:
                cursor.execute("CHECKPOINT")
            seconds = bare_loop(connection, f"bench_bare_{count}", batch_size, count)
            measured[f"bare {count}"] = {"seconds": seconds}

        side.__name__ = f"bare loop, {count} thread(s)"
        side.key = f"bare {count}"
        return side

    sides = [single, *(batched(count) for count in workers)]
    if hold_snapshot:
        sides.append(batched(1, held=True))
    if bare:
        sides += [bare_side(count) for count in workers]
    shift = number % len(sides)
    for side in sides[shift:] + sides[:shift]:
        side()
    with connection.cursor() as cursor:
        for table in tables[1:]:
            cursor.execute(
                f'SELECT count(*) FROM bench_single s JOIN {table} b USING ("id")'
                ' WHERE s."dayOfWeek" IS DISTINCT FROM b."dayOfWeek" OR b."dayOfWeek" IS NULL'
            )
            assert cursor.fetchone() == (0,), f"{table} differs from bench_single"
    order = ", ".join(side.__name__ for side in sides[shift:] + sides[:shift])
    times = ", ".join(
        f"{side.__name__} {measured[side.key]['seconds']:.2f} s"
        + (
            f" (slowest batch {measured[side.key]['slowest']:.3f} s)"
            if "slowest" in measured[side.key]
            else ""
        )
        for side in sides[1:]
    )
    print(
        f"  order {order}: single {measured['single']['seconds']:.2f} s, {times}; {load()}",
        flush=True,
    )
    return measured


def target(count: int) -> float:
    return THROUGHPUT_TARGETS[min(count, 2)]


def summary(rounds: list[dict], rows: int, batch_size: int, workers: list[int]) -> tuple[bool, str]:
    """Each round compares its sides (the load may change between rounds): medians and the
    worst round, with both sides of every ratio."""
    gib = 2**30
    of = f"medians of {len(rounds)} rounds" if len(rounds) > 1 else "one round"
    single = statistics.median(r["single"]["seconds"] for r in rounds)
    lines = [
        f"rows: {rows:,} in batches of {batch_size:,} ({rounds[0][workers[0]]['batches']}"
        f" batches); {of}; {os.cpu_count()} CPUs",
        f"single UPDATE:           {single:8.2f} s  {rows / single:10,.0f} rows/s"
        f"  server WAL {statistics.median(r['single']['wal'] for r in rounds) / gib:.2f} GiB",
    ]
    met = True
    for count in workers:
        seconds = statistics.median(r[count]["seconds"] for r in rounds)
        wal = statistics.median(r[count]["wal"] for r in rounds) / gib
        lines.append(
            f"backfill, {count:2d} worker(s): {seconds:8.2f} s  {rows / seconds:10,.0f} rows/s"
            f"  server WAL {wal:.2f} GiB"
        )
    for count in workers:
        ratios = [r["single"]["seconds"] / r[count]["seconds"] for r in rounds]
        shares = [r["single"]["seconds"] / r[count]["slowest"] for r in rounds]
        ratio, share = statistics.median(ratios), statistics.median(shares)
        slowest = statistics.median(r[count]["slowest"] for r in rounds)
        paused = max(r[count]["paused"] for r in rounds)
        sides = "; ".join(
            f"{r['single']['seconds']:.2f}/{r[count]['seconds']:.2f} s" for r in rounds
        )
        ok = ratio >= target(count) and share >= SLOWEST_BATCH_TARGET
        met = met and ok
        lines += [
            f"{count} worker(s): throughput ratio (single time / backfill time): {ratio:.2f}x"
            f" (worst round {min(ratios):.2f}x; target >= {target(count)}x); rounds: {sides}",
            f"{count} worker(s): slowest batch {slowest:.3f} s = 1/{share:.0f} of the single"
            f" UPDATE (worst round 1/{min(shares):.0f}; target <= 1/{SLOWEST_BATCH_TARGET});"
            f" throttle pauses {paused:.1f} s; {'met' if ok else 'MISSED'}",
        ]
    diagnostics = [("held", "1 worker with a snapshot held")]
    diagnostics += [(f"bare {count}", f"bare loop, {count} thread(s)") for count in workers]
    for key, label in diagnostics:
        if key in rounds[0]:
            ratios = [r["single"]["seconds"] / r[key]["seconds"] for r in rounds]
            sides = "; ".join(
                f"{r['single']['seconds']:.2f}/{r[key]['seconds']:.2f} s" for r in rounds
            )
            lines.append(
                f"diagnostic, {label} (no target): {statistics.median(ratios):.2f}x"
                f" (worst round {min(ratios):.2f}x); rounds: {sides}"
            )
    lines.append("targets met" if met else "TARGET MISSED")
    return met, "\n".join(lines)


if __name__ == "__main__":
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    main()
