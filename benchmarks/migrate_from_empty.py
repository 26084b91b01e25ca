"""Time ``migrate`` from an empty database against ``psql -1 -f`` of the same DDL.

    .venv/bin/python benchmarks/migrate_from_empty.py [--rounds N]

The DDL is what ``sqlmigrate`` prints for every migration in plan order. Both
sides run in this same process run, each into a fresh empty database on the
same server (the embedded one, or DATABASE_URL's), and each is timed as an
operator runs it: a whole command, start-up included. Prints each side's median
and worst, the ratio of the medians (target: migrate <= 3x psql), the median and
worst of each round's own ratio, and the load average, which says how busy the
machine was (it has other work on 2 cores).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "americano.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from tests.dbutil import libpq_target, pg_program  # noqa: E402


def create_database() -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def collect_ddl() -> str:
    """``sqlmigrate`` of every migration, in the order ``migrate`` applies them."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    parts = []
    for migration, _ in plan:
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as notes:
            call_command(
                "sqlmigrate", migration.app_label, migration.name, stdout=out, stderr=notes
            )
            out.seek(0)
            parts.append(out.read())
    return "\n".join(parts)


def collect_on(name: str) -> str:
    """Collect the DDL against the empty database ``name`` (sqlmigrate consults it)."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        return collect_ddl()
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def timed(args, env) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds

    ddl_file = Path(tempfile.mkstemp(suffix=".sql")[1])
    migrate_times, psql_times = [], []
    try:
        for _ in range(rounds):
            for side in ("migrate", "psql"):
                name = create_database()
                try:
                    url, env = libpq_target(name)
                    if side == "psql":
                        if not ddl_file.stat().st_size:
                            ddl_file.write_text(collect_on(name))
                        args = [pg_program("psql"), "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1"]
                        psql_times.append(timed([*args, "-f", str(ddl_file), url], env))
                    else:
                        env = {**env, "DATABASE_URL": url}
                        command = [sys.executable, "manage.py", "migrate", "--noinput"]
                        migrate_times.append(timed(command, env))
                finally:
                    drop_database(name)
    finally:
        ddl_file.unlink(missing_ok=True)

    for label, times in (("migrate from empty", migrate_times), ("psql -1 -f ddl", psql_times)):
        print(
            f"{label:<19} median {statistics.median(times):.2f} s, worst {max(times):.2f} s"
            f" ({', '.join(f'{t:.2f}' for t in times)})"
        )
    ratio = statistics.median(migrate_times) / statistics.median(psql_times)
    # The server's speed drifts on a shared machine; each round's own ratio is less affected.
    per_round = [m / p for m, p in zip(migrate_times, psql_times, strict=True)]
    print(
        f"ratio: {ratio:.2f}x (target <= 3x); per round median {statistics.median(per_round):.2f}x,"
        f" worst {max(per_round):.2f}x; {rounds} rounds, load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
