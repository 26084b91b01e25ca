"""Time one single UPDATE against the batched backfill of the same change, in the same run.

    .venv/bin/python benchmarks/backfill.py [--rows 1000000] [--batch-size 5000] [--rounds 1]

A scratch database on the embedded server (found with ``americano.db.embedded``;
dropped at the end) gets two identical copies of a table shaped like
``behavioral_events``: cuid text keys in insertion order, a jsonb payload, an
enum, its eight indexes; vacuumed, analysed, and kept from autovacuum (the dead
rows of one side would start it while the other side runs). The change is the
backfill of a new column, ``"dayOfWeek" = extract(isodow from "timestamp")`` where
it is NULL: one ``UPDATE`` on one copy, ``americano.db.backfill.Backfill``
(range-bounded batches, one transaction and one checkpoint write each) on the
other, each after a CHECKPOINT. Prints the rows/s of both, their ratio, the WAL
the server wrote meanwhile and the slowest batch; with ``--rounds N``, fresh tables
each round and the order of the sides alternating, the medians of each round's
comparison. Targets: batched throughput >= 0.9x the single UPDATE's,
slowest batch <= 1/50 of the single UPDATE's time.
Exit status 1 when a target is missed.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
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
THROUGHPUT_TARGET = 0.9
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


def build_tables(cursor, rows: int) -> None:
    """Two identical copies of an event table, ``bench_single`` and ``bench_batched``."""
    cursor.execute(
        "CREATE TYPE \"BenchEventType\" AS ENUM ('SESSION_STARTED', 'SESSION_ENDED',"
        " 'CARD_REVIEWED', 'OBJECTIVE_COMPLETED')"
    )
    cursor.execute("DROP TABLE IF EXISTS keys")
    cursor.execute("CREATE TEMPORARY TABLE keys (n bigint, id text)")
    with cursor.copy("COPY keys (n, id) FROM STDIN") as copy:
        for n in range(rows):
            copy.write_row((n, cuid.cuid()))
    for table in ("bench_single", "bench_batched"):
        cursor.execute(TABLE_DDL.format(table=table))
    cursor.execute(
        """
        INSERT INTO bench_single ("id", "userId", "eventType", "eventData", "timestamp",
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
    cursor.execute("INSERT INTO bench_batched SELECT * FROM bench_single ORDER BY ctid")
    for table in ("bench_single", "bench_batched"):
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
        "--batch-size", type=int, help="Rows per batch (default: the runner's, 5000)."
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="Fresh tables each round, the order of the two sides alternating; medians reported.",
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
            run_round(options.rows, options.batch_size, batched_first=bool(number % 2))
            for number in range(options.rounds)
        ]
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    met, text = summary(rounds, options.rows, options.batch_size)
    print(text)
    sys.exit(0 if met else 1)


def wal_position(cursor) -> str:
    cursor.execute("SELECT pg_current_wal_lsn()")
    return cursor.fetchone()[0]


def wal_since(cursor, position: str) -> float:
    cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [position])
    return float(cursor.fetchone()[0])


def run_round(rows: int, batch_size: int, *, batched_first: bool) -> dict:
    """Fresh tables, then both sides, each after a CHECKPOINT: times, WAL, slowest batch."""
    from django.db import connection

    from americano.db.backfill import Backfill
    from americano.models import BackfillRun

    with connection.cursor() as cursor:
        cursor.execute('DROP TABLE IF EXISTS bench_single, bench_batched, "americano_backfill"')
        cursor.execute('DROP TYPE IF EXISTS "BenchEventType"')
    with connection.schema_editor() as editor:
        editor.create_model(BackfillRun)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        build_tables(cursor, rows)
    print(f"built two tables of {rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
    measured = {}

    def single() -> None:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
            position, started = wal_position(cursor), time.perf_counter()
            cursor.execute(f"UPDATE bench_single SET {CHANGE} WHERE {PENDING}")
            measured["single"] = time.perf_counter() - started
            assert cursor.rowcount == rows, cursor.rowcount
            measured["single_wal"] = wal_since(cursor, position)

    def batched() -> None:
        backfill = Backfill(
            "bench.day_of_week",
            event_model("bench_batched"),
            connection=connection,
            pending=PENDING,
            update=CHANGE,
            batch_size=batch_size,
        )
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
            position = wal_position(cursor)
            result = backfill.run()
            measured["batched_wal"] = wal_since(cursor, position)
        assert result.finished and result.rows == rows, result
        measured.update(batched=result.seconds, slowest=result.slowest_batch)
        measured["batches"] = result.batches

    for side in (batched, single) if batched_first else (single, batched):
        side()
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT count(*) FROM bench_single s JOIN bench_batched b USING ("id")'
            ' WHERE s."dayOfWeek" IS DISTINCT FROM b."dayOfWeek" OR b."dayOfWeek" IS NULL'
        )
        assert cursor.fetchone() == (0,), "the two tables differ"
    order = "batched first" if batched_first else "single first"
    print(
        f"  {order}: single {measured['single']:.2f} s, batched {measured['batched']:.2f} s,"
        f" slowest batch {measured['slowest']:.3f} s",
        flush=True,
    )
    return measured


def summary(rounds: list[dict], rows: int, batch_size: int) -> tuple[bool, str]:
    """Each round compares its two sides (the load may change between rounds); medians."""
    ratios = [r["single"] / r["batched"] for r in rounds]
    shares = [r["single"] / r["slowest"] for r in rounds]
    ratio, share = statistics.median(ratios), statistics.median(shares)
    met = ratio >= THROUGHPUT_TARGET and share >= SLOWEST_BATCH_TARGET
    single = statistics.median(r["single"] for r in rounds)
    batched = statistics.median(r["batched"] for r in rounds)
    slowest = statistics.median(r["slowest"] for r in rounds)
    gib = 2**30
    of = f"medians of {len(rounds)} rounds" if len(rounds) > 1 else "one round"
    worst = ""
    if len(rounds) > 1:
        worst = f"; worst round {min(ratios):.2f}x and 1/{min(shares):.0f}"
    lines = [
        f"rows: {rows:,} in batches of {batch_size:,} ({rounds[0]['batches']} batches); {of}",
        f"single UPDATE:    {single:8.2f} s  {rows / single:10,.0f} rows/s"
        f"  server WAL {statistics.median(r['single_wal'] for r in rounds) / gib:.2f} GiB",
        f"batched backfill: {batched:8.2f} s  {rows / batched:10,.0f} rows/s"
        f"  server WAL {statistics.median(r['batched_wal'] for r in rounds) / gib:.2f} GiB",
        f"throughput ratio (batched / single): {ratio:.2f}x (target >= {THROUGHPUT_TARGET}x)",
        f"slowest batch: {slowest:.3f} s = 1/{share:.0f} of the single UPDATE"
        f" (target <= 1/{SLOWEST_BATCH_TARGET}){worst}",
        "targets met" if met else "TARGET MISSED",
    ]
    return met, "\n".join(lines)


if __name__ == "__main__":
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    main()
