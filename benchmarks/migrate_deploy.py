"""Benchmark: a ``manage.py migrate_deploy`` with nothing to do against a bare ``django.setup()``.

Usage: ``.venv/bin/python benchmarks/migrate_deploy.py [--runs 7] [--database-url URL]``

The deployment hook runs on every release, and most releases bring no migration:
then it must cost about what starting Django costs (target: at most 1.5x). This
is ``benchmarks/migrate_status.py``'s measurement (a scratch database built with
``migrate`` and checksums, dropped at the end; ``N`` fresh processes of each,
alternating the order; medians, minimum and maximum, wall-clock and CPU) of
``migrate_deploy --format json``: the lock taken and checked, the server and the
history checked, nothing pending, the lock released.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script, beside its sibling

from migrate_status import compare_with_setup

if __name__ == "__main__":
    compare_with_setup(
        "migrate_deploy --format json",
        ["migrate_deploy", "--format", "json"],
        __doc__.splitlines()[0],
    )
