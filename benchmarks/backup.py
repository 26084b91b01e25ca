"""Benchmark: ``manage.py backup`` / ``restore`` against raw ``pg_dump -Fc`` / ``pg_restore``.

Usage: ``.venv/bin/python benchmarks/backup.py --rows 1000000``

Builds a scratch database on the project's server (the embedded one without
DATABASE_URL) with ``migrate``, fills the Americano tables with SQL
``generate_series`` (``--rows`` in each of the two largest tables, reviews and
behavioral_events, and proportionally fewer elsewhere, including pgvector
embeddings), then times in the same run, alternating the order:

* ``backup`` (the management command, in this process: dump, row counts,
  manifest, sha256, verification) against ``pg_dump -Fc`` of the same pg_dump;
* ``restore`` (verification, single-transaction restore, comparison with the
  manifest) against ``pg_restore -d`` of the same pg_restore into an empty
  database;
* the verification alone (``backup --verify``: sha256, every data block read by
  ``pg_restore --file=/dev/null``, the table of contents against the manifest),
  printed beside the time of ``pg_dump -Fc``: what reading the whole archive back
  costs (it is part of both ``backup`` and ``restore``).

Every scratch database is dropped at the end, also on failure.
Targets: backup <= 1.15x pg_dump, restore <= 1.1x pg_restore.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BACKUP_TARGET = 1.15
RESTORE_TARGET = 1.10


def fill_sql(rows: int) -> list[tuple[str, str]]:
    """``(table, INSERT ... SELECT FROM generate_series)`` with ``rows`` in the largest tables."""
    users = max(10, rows // 1000)
    courses = users * 2
    lectures = max(20, rows // 200)
    objectives = max(50, rows // 50)
    cards = max(100, rows // 10)
    sessions = max(50, rows // 20)
    chunks = max(10, rows // 1000)
    return [
        (
            "users",
            f"""INSERT INTO users (id, email, name, "createdAt", "updatedAt")
            SELECT 'u' || i, 'user' || i || '@example.org', 'Student ' || i,
                   timestamp '2024-09-01' + i * interval '1 minute',
                   timestamp '2025-01-01' + i * interval '1 minute'
            FROM generate_series(1, {users}) i""",
        ),
        (
            "courses",
            f"""INSERT INTO courses (id, "userId", name, code, term, "createdAt", "updatedAt")
            SELECT 'c' || i, 'u' || (1 + i % {users}), 'Course ' || i, 'MED-' || (100 + i % 400),
                   'Fall 2025', timestamp '2024-09-01', timestamp '2024-09-02'
            FROM generate_series(1, {courses}) i""",
        ),
        (
            "lectures",
            f"""INSERT INTO lectures (id, "userId", "courseId", title, "fileName", "fileUrl",
                                  "fileSize", "processingStatus", "topicTags", "totalPages")
            SELECT 'l' || i, 'u' || (1 + i % {users}), 'c' || (1 + i % {courses}),
                   'Lecture ' || i || ': cardiovascular physiology', 'lecture-' || i || '.pdf',
                   'https://files.example.org/lectures/' || i || '.pdf', 100000 + i,
                   'COMPLETED', ARRAY['cardio', 'physiology', 'week ' || (i % 14)], 40 + i % 60
            FROM generate_series(1, {lectures}) i""",
        ),
        (
            "learning_objectives",
            f"""INSERT INTO learning_objectives (id, "lectureId", objective, "isHighYield",
                                             "boardExamTags", "pageStart", "pageEnd")
            SELECT 'o' || i, 'l' || (1 + i % {lectures}),
                   'Explain the mechanism ' || i || ' of cardiac output regulation',
                   i % 4 = 0, ARRAY['USMLE Step 1', 'cardio'], i % 40, i % 40 + 3
            FROM generate_series(1, {objectives}) i""",
        ),
        (
            "content_chunks",
            f"""INSERT INTO content_chunks (id, "lectureId", content, embedding, "chunkIndex",
                                        "pageNumber")
            SELECT 'ch' || i, 'l' || (1 + i % {lectures}),
                   repeat('The Frank-Starling law relates preload to stroke volume. ', 12),
                   (SELECT array_agg(sin(i * 7 + j))::real[] FROM generate_series(1, 1536) j)
                       ::vector, i % 50, i % 40
            FROM generate_series(1, {chunks}) i""",
        ),
        (
            "cards",
            f"""INSERT INTO cards (id, "courseId", "lectureId", "objectiveId", front, back,
                               "cardType", difficulty, stability, retrievability,
                               "lastReviewedAt", "nextReviewAt", "reviewCount", "lapseCount")
            SELECT 'k' || i, 'c' || (1 + i % {courses}), 'l' || (1 + i % {lectures}),
                   'o' || (1 + i % {objectives}), 'What increases stroke volume? #' || i,
                   'Increased preload (Frank-Starling), contractility, decreased afterload',
                   (enum_range(NULL::"CardType"))[1 + i % 3], (i % 100) / 10.0, i % 37,
                   0.9, timestamp '2025-03-01' + i * interval '3 seconds',
                   timestamp '2025-04-01' + i * interval '5 seconds', i % 20, i % 3
            FROM generate_series(1, {cards}) i""",
        ),
        (
            "study_sessions",
            f"""INSERT INTO study_sessions (id, "userId", "startedAt", "completedAt", "durationMs",
                                        "reviewsCompleted", "newCardsStudied",
                                        "missionObjectives")
            SELECT 's' || i, 'u' || (1 + i % {users}),
                   timestamp '2025-01-01' + i * interval '7 minutes',
                   timestamp '2025-01-01' + i * interval '7 minutes' + interval '25 minutes',
                   1500000, 20 + i % 30, i % 10,
                   jsonb_build_array(jsonb_build_object('objectiveId', 'o' || i, 'done', true))
            FROM generate_series(1, {sessions}) i""",
        ),
        (
            "reviews",
            f"""INSERT INTO reviews (id, "userId", "cardId", "sessionId", rating, "timeSpentMs",
                                 "reviewedAt", "difficultyBefore", "stabilityBefore",
                                 "difficultyAfter", "stabilityAfter")
            SELECT 'r' || i, 'u' || (1 + i % {users}), 'k' || (1 + i % {cards}),
                   CASE WHEN i % 4 <> 0 THEN 's' || (1 + i % {sessions}) END,
                   (enum_range(NULL::"ReviewRating"))[1 + i % 4], 2000 + i % 30000,
                   timestamp '2025-01-01' + i * interval '11 seconds',
                   (i % 100) / 10.0, (i % 370) / 10.0, (i % 90) / 10.0, (i % 400) / 10.0
            FROM generate_series(1, {rows}) i""",
        ),
        (
            "behavioral_events",
            f"""INSERT INTO behavioral_events (id, "userId", "eventType", "eventData", "timestamp",
                                           "dayOfWeek", "timeOfDay", "sessionPerformanceScore",
                                           "contentType")
            SELECT 'e' || i, 'u' || (1 + i % {users}), (enum_range(NULL::"EventType"))[1 + i % 13],
                   jsonb_build_object('cardId', 'k' || (i % {cards}), 'durationMs', i % 60000,
                                      'client', 'web', 'tags', jsonb_build_array('a', 'b')),
                   timestamp '2025-01-01' + i * interval '9 seconds', i % 7, i % 24, i % 100,
                   'flashcard'
            FROM generate_series(1, {rows}) i""",
        ),
        (
            "performance_metrics",
            f"""INSERT INTO performance_metrics (id, "userId", "learningObjectiveId", date,
                                             "retentionScore", "studyTimeMs", "reviewCount",
                                             "correctReviews", "incorrectReviews", "createdAt")
            SELECT 'pm' || i, 'u' || (1 + i % {users}), 'o' || (1 + i % {objectives}),
                   timestamp '2025-01-01' + (i % 365) * interval '1 day', (i % 100) / 100.0,
                   i % 3600000, i % 50, i % 40, i % 10, timestamp '2025-01-01'
            FROM generate_series(1, {max(100, rows // 10)}) i""",
        ),
    ]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "americano.settings")
    import warnings

    warnings.simplefilter("ignore")
    import django

    django.setup()


def with_password(url: str, password: str | None) -> str:
    """``url`` (from ConnInfo.display) with the password put back, for --target-url."""
    if not password:
        return url
    scheme, rest = url.split("://", 1)
    user, at, host = rest.partition("@")
    return f"{scheme}://{user}:{quote(password, safe='')}@{host}" if at else url


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the largest tables")
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each side")
    parser.add_argument(
        "--force-path",
        action="store_true",
        help="also time restore --force over a populated database against pg_restore --clean",
    )
    args = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from americano.ops import backup
    from americano.ops.databases import throwaway_database
    from americano.ops.pgtools import ConnInfo, ToolRun, find_tool

    server_connection = connections["default"]
    server = ConnInfo.from_django(server_connection)

    @contextlib.contextmanager
    def scratch(purpose: str):
        """A throwaway database on the project's server, as libpq parameters."""
        with throwaway_database(server_connection, purpose) as database:
            yield ConnInfo.from_django(database)

    folder = Path(tempfile.mkdtemp(prefix="americano-bench-"))
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
        cleanup.callback(connections.close_all)
        source_database = cleanup.enter_context(throwaway_database(server_connection, "bench"))
        source = ConnInfo.from_django(source_database)
        print(f"scratch database {source.dbname} on {server.display()}", flush=True)
        connections["default"].close()
        settings.DATABASES["default"]["NAME"] = source.dbname
        connections["default"].settings_dict["NAME"] = source.dbname
        print("migrate ...", flush=True)
        call_command("migrate", verbosity=0)
        connections["default"].close()

        print(f"filling with --rows {args.rows} ...", flush=True)
        with source.connect() as db:
            for table, statement in fill_sql(args.rows):
                started = time.perf_counter()
                db.execute(statement)
                print(f"  {table:<22} {time.perf_counter() - started:6.1f} s", flush=True)
            print("  VACUUM (FREEZE, ANALYZE) and CHECKPOINT ...", flush=True)
            db.execute("VACUUM (FREEZE, ANALYZE)")
            db.execute("CHECKPOINT")
            size = db.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = size.fetchone()[0]
        counts = backup.table_row_counts(source_database)
        largest = sorted(counts.items(), key=lambda item: -item[1])[:4]
        print(
            f"database: {size}, {sum(counts.values()):,} rows; largest: "
            + ", ".join(f"{table} {rows:,}" for table, rows in largest),
            flush=True,
        )

        with source.connect() as db:
            major = db.execute("SHOW server_version_num").fetchone()[0]
        pg_dump = find_tool("pg_dump", int(major) // 10000)
        pg_restore = backup.matching_pg_restore(pg_dump)
        print(f"{pg_dump.describe()}\n{pg_restore.describe()}", flush=True)

        def raw_dump(path: Path) -> None:
            with source.child_env() as env:
                ToolRun(pg_dump, ["-Fc", f"--file={path}", source.dbname_arg()], env).check(
                    "pg_dump"
                )

        def managed_backup(label: str) -> tuple[float, Path]:
            out = io.StringIO()
            started = time.perf_counter()
            call_command("backup", "--dir", str(folder), "--label", label, stdout=out)
            seconds = time.perf_counter() - started
            return seconds, sorted(folder.glob(f"*_{label}.dump"))[-1]

        def raw_restore(path: Path, target: ConnInfo, *flags: str) -> None:
            with target.child_env() as env:
                args = [*flags, target.dbname_arg(), str(path)]
                ToolRun(pg_restore, args, env).check("pg_restore")

        def managed_restore(path: Path, target: ConnInfo, *flags: str) -> None:
            out = io.StringIO()
            url = with_password(target.display(), target.password)
            call_command("restore", str(path), "--target-url", url, *flags, stdout=out)

        dump_times, backup_times, verify_times = [], [], []
        raw_file, managed_file = folder / "raw.dump", None
        for round_ in range(args.repeat):
            sides = ["raw", "managed"] if round_ % 2 == 0 else ["managed", "raw"]
            for side in sides:
                if side == "raw":
                    raw_file.unlink(missing_ok=True)
                    dump_times.append(timed(lambda: raw_dump(raw_file)))
                else:
                    for old in folder.glob("*_bench*"):
                        old.unlink()
                    seconds, managed_file = managed_backup(f"bench{round_}")
                    backup_times.append(seconds)
            verify_times.append(timed(lambda path=managed_file: backup.verify_backup(path)))
            print(
                f"  round {round_ + 1}: pg_dump -Fc {dump_times[-1]:6.2f} s   "
                f"backup {backup_times[-1]:6.2f} s   verify {verify_times[-1]:6.2f} s",
                flush=True,
            )

        single = ("--single-transaction", "--exit-on-error")
        restores = {
            "pg_restore": lambda t: raw_restore(raw_file, t),
            "pg_restore -1": lambda t: raw_restore(raw_file, t, *single),
            "restore": lambda t: managed_restore(managed_file, t),
        }
        restore_times: dict[str, list[float]] = {name: [] for name in restores}
        for round_ in range(args.repeat):
            names = list(restores)[round_ % 3 :] + list(restores)[: round_ % 3]
            for name in names:
                with scratch("benchtarget") as target:
                    restore_times[name].append(timed(lambda t=target, n=name: restores[n](t)))
            print(
                f"  round {round_ + 1}: "
                + "   ".join(f"{name} {times[-1]:6.2f} s" for name, times in restore_times.items()),
                flush=True,
            )

        force_times: dict[str, list[float]] = {"pg_restore --clean": [], "restore --force": []}
        for round_ in range(args.repeat if args.force_path else 0):
            for name in force_times if round_ % 2 == 0 else reversed(force_times):
                with scratch("benchtarget") as target:
                    raw_restore(raw_file, target, *single)  # a populated target, not timed
                    if name == "restore --force":
                        action = lambda t=target: managed_restore(managed_file, t, "--force")  # noqa: E731
                    else:
                        action = lambda t=target: raw_restore(  # noqa: E731
                            raw_file, t, "--clean", "--if-exists", *single
                        )
                    force_times[name].append(timed(action))
            print(
                f"  round {round_ + 1} over a populated database: "
                + "   ".join(f"{name} {times[-1]:6.2f} s" for name, times in force_times.items()),
                flush=True,
            )

        median = {name: statistics.median(times) for name, times in restore_times.items()}
        dump_s, backup_s = statistics.median(dump_times), statistics.median(backup_times)
        verify_s = statistics.median(verify_times)
        backup_ratio = backup_s / dump_s
        restore_ratio = median["restore"] / median["pg_restore"]
        mib = 1024 * 1024
        print()
        print(f"rows: --rows {args.rows:,} ({sum(counts.values()):,} in all), database {size}")
        print(
            f"archive: pg_dump -Fc {raw_file.stat().st_size / mib:.1f} MiB, "
            f"backup {managed_file.stat().st_size / mib:.1f} MiB"
        )
        print(f"median of {args.repeat} runs each, same run, alternating order:")
        print(
            f"  backup  {backup_s:7.2f} s  vs  pg_dump -Fc  {dump_s:7.2f} s   "
            f"ratio {backup_ratio:.3f}  (target <= {BACKUP_TARGET})  "
            f"{'OK' if backup_ratio <= BACKUP_TARGET else 'OVER'}"
        )
        print(
            f"  verify  {verify_s:7.2f} s  beside pg_dump -Fc  {dump_s:7.2f} s   "
            f"ratio {verify_s / dump_s:.3f}  (reading the whole archive back; informational)"
        )
        print(
            f"  restore {median['restore']:7.2f} s  vs  pg_restore   {median['pg_restore']:7.2f} s"
            f"   ratio {restore_ratio:.3f}  (target <= {RESTORE_TARGET})  "
            f"{'OK' if restore_ratio <= RESTORE_TARGET else 'OVER'}"
        )
        print(
            f"  restore {median['restore']:7.2f} s  vs  pg_restore --single-transaction "
            f"--exit-on-error {median['pg_restore -1']:7.2f} s   ratio "
            f"{median['restore'] / median['pg_restore -1']:.3f}  (same pg_restore flags: "
            "the cost of verification and checks alone)"
        )
        if args.force_path:
            forced = {name: statistics.median(times) for name, times in force_times.items()}
            print(
                f"  restore --force {forced['restore --force']:7.2f} s  vs  pg_restore --clean "
                f"--if-exists --single-transaction {forced['pg_restore --clean']:7.2f} s   ratio "
                f"{forced['restore --force'] / forced['pg_restore --clean']:.3f}  (over a "
                "populated database; informational)"
            )
        return 0 if backup_ratio <= BACKUP_TARGET and restore_ratio <= RESTORE_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
