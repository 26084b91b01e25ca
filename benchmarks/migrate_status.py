"""Benchmark: ``manage.py migrate_status --format json`` against a bare ``django.setup()``.

Usage: ``.venv/bin/python benchmarks/migrate_status.py [--runs 7] [--database-url URL]``

Without ``--database-url``, builds a scratch database on the embedded server
with ``migrate`` and the checksum recorder connected (so that every applied
migration has a checksum to compare, the realistic case), and drops it at the
end, also on failure. Then times, in the same run and alternating the order,
``N`` fresh processes of each:

* ``python -c "import django; django.setup()"`` with the project's settings;
* ``python manage.py migrate_status --format json``;

both with the same settings and ``DATABASE_URL``. Prints the median wall-clock
times and their ratio (the figure the target is about: migrate_status <= 1.5x
the bare start), and the median CPU times (user + system) and their ratio, which
a busy machine disturbs less.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import psycopg

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5
BARE_SETUP = "import django; django.setup()"
RECORDING_MIGRATE = (
    "import django; django.setup(); import americano.ops.signals; "
    "from django.core.management import call_command; call_command('migrate', verbosity=0)"
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one process, which must exit 0 or 1 (1: found something)."""
    cpu, start = _children_cpu(), time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(args[1:3])} failed: {result.stderr.strip()[-500:]}")
    return elapsed, _children_cpu() - cpu


def scratch_database() -> tuple[str, str, Callable[[], None]]:
    """An empty scratch database on the embedded server: ``(name, url, drop)``."""
    sys.path.insert(0, str(ROOT))  # run as a script: the project is not on the path
    from americano.db import embedded

    socket_dir = embedded.ensure_server(str(ROOT / ".pgdata"))
    name = f"bench_status_{uuid.uuid4().hex[:10]}"

    def admin(sql: str) -> None:
        with psycopg.connect(
            host=str(socket_dir), dbname="postgres", user="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)

    admin(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@/{name}?host={quote(str(socket_dir))}"
    return name, url, lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def compare_with_setup(label: str, argv: list[str], description: str) -> None:
    """Time ``python manage.py ARGV`` (shown as ``label``) against a bare ``django.setup()``,
    on ``--database-url`` or a scratch database migrated with checksums; print both sides
    and exit 1 when the ratio of the wall-clock medians is over the target."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=7, help="processes of each kind (default 7)")
    parser.add_argument("--database-url", help="an existing database to work on")
    options = parser.parse_args()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "americano.settings", "PYTHONPATH": str(ROOT)}
    drop = None
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    else:
        name, env["DATABASE_URL"], drop = scratch_database()
        print(f"building scratch database {name} with migrate ...", flush=True)
    try:
        if drop:
            run([sys.executable, "-c", RECORDING_MIGRATE], env)
        commands = {
            "django.setup()": [sys.executable, "-c", BARE_SETUP],
            label: [sys.executable, "manage.py", *argv],
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for args in commands.values():
            run(args, env)  # warm-up: imports compiled, server started
        for round_ in range(options.runs):
            order = list(commands.items())
            if round_ % 2:
                order.reverse()
            for name, args in order:
                times[name].append(run(args, env))
    finally:
        if drop:
            drop()

    ratios = []
    for kind, column in (("wall", 0), ("cpu", 1)):
        medians = {}
        for name, samples in times.items():
            values = [sample[column] for sample in samples]
            medians[name] = statistics.median(values)
            spread = f"min {min(values):.3f} s, max {max(values):.3f} s"
            print(f"{kind} {name:<30} median {medians[name]:.3f} s ({spread})")
        ratios.append(medians[label] / medians["django.setup()"])
    wall, cpu = ratios
    verdict = "within" if wall <= TARGET else "OVER"
    print(
        f"ratio {wall:.2f}x wall-clock ({verdict} the {TARGET}x target), {cpu:.2f}x CPU;"
        f" {options.runs} runs of each, load average {os.getloadavg()[0]:.1f}"
    )
    sys.exit(0 if wall <= TARGET else 1)


if __name__ == "__main__":
    compare_with_setup(
        "migrate_status --format json",
        ["migrate_status", "--format", "json"],
        __doc__.splitlines()[0],
    )
