"""The bounds of a backfill's settings, checked wherever a value comes from.

A migration's ``RunBackfill``, a ``Backfill`` built in code and the command line
all pass through these, so a bad value is refused before a checkpoint row is
written. Each bound has a reason: a batch is one transaction that keeps its
rows locked until it commits (a batch of millions is the long-locking
``UPDATE`` a backfill exists to avoid, and a size beyond ``bigint`` fails in
the server); a pause that is NaN or infinite never ends well, and one longer
than an hour is better spent between two runs (``--max-rows``); each worker is a
connection with a batch in flight, and more of them than a server has cores only
queue for its CPUs and its WAL. The throttle's limits default to the settings
``AMERICANO_BACKFILL_MAX_LAG`` and ``AMERICANO_BACKFILL_MAX_LOCK_WAITS``.
"""

import math
from numbers import Integral, Real

from django.conf import settings

from americano.db.backfill.errors import BadBackfill

#: Rows per batch: on the benchmark's 1M-row event table (docs/backfills.md) the slowest batch
#: stays under 1/50 of one UPDATE of the whole table with 1 or 2 workers (5,000: 1/43 with 2).
BATCH_SIZE = 4_000
MAX_BATCH_SIZE = 1_000_000
MAX_SLEEP = 3600
#: More rows than any table of this project holds; a bigger limit is a typo.
MAX_ROWS = 10**12
MAX_WORKERS = 16
#: Pause while a replica is further behind than this many seconds (setting
#: ``AMERICANO_BACKFILL_MAX_LAG``) or more sessions than this wait on locks
#: (``AMERICANO_BACKFILL_MAX_LOCK_WAITS``).
MAX_LAG = 10.0
MAX_LOCK_WAITS = 10
LAG_BOUNDS = (0.1, 3600)
MAX_LOCK_WAITS_BOUND = 10_000


def _checked_whole(value: object, what: str, high: int, why: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not 1 <= value <= high:
        raise BadBackfill(f"{what} must be a whole number from 1 to {high:,}{why}")
    return int(value)


def checked_batch_size(value: object, what: str = "batch size") -> int:
    """``value`` as a batch size; ``BadBackfill`` (one line, with the reason) otherwise."""
    why = ": one batch is one transaction that keeps its rows locked until it commits"
    return _checked_whole(value, what, MAX_BATCH_SIZE, why)


def _is_seconds(value: object, low: float, high: float) -> bool:
    valid = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
    return valid and low <= value <= high


def checked_sleep(value: object, what: str = "sleep") -> float:
    """``value`` as seconds between batches: finite, from 0 to ``MAX_SLEEP``."""
    if not _is_seconds(value, 0, MAX_SLEEP):
        raise BadBackfill(
            f"{what} must be a number of seconds from 0 to {MAX_SLEEP}: for longer pauses,"
            " stop with --max-rows and run again later"
        )
    return float(value)


def checked_max_rows(value: object, what: str = "max rows") -> int:
    """``value`` as the rows one run may update before it stops."""
    why = " (more than any table holds); leave it out to run to the end"
    return _checked_whole(value, what, MAX_ROWS, why)


def checked_workers(value: object, what: str = "workers") -> int:
    """``value`` as the number of connections that update ranges at once."""
    why = ": each is a connection with a batch in flight; more than the server's cores only queue"
    return _checked_whole(value, what, MAX_WORKERS, why)


def checked_max_lag(value: object, what: str = "max lag") -> float:
    """``value`` as the replication lag, in seconds, above which a backfill pauses."""
    low, high = LAG_BOUNDS
    if not _is_seconds(value, low, high):
        raise BadBackfill(
            f"{what} must be a number of seconds from {low} to {high}: below, every commit's"
            " normal delay would pause the backfill; above, it no longer protects the replicas"
        )
    return float(value)


def checked_max_lock_waits(value: object, what: str = "max lock waits") -> int:
    """``value`` as the count of sessions waiting on locks above which a backfill pauses."""
    high = MAX_LOCK_WAITS_BOUND
    if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= value <= high:
        raise BadBackfill(
            f"{what} must be a whole number from 0 to {high:,} (sessions waiting on locks;"
            " 0 pauses while any session waits)"
        )
    return int(value)


def default_max_lag() -> float:
    """The lag limit of the settings (``AMERICANO_BACKFILL_MAX_LAG``), checked."""
    value = getattr(settings, "AMERICANO_BACKFILL_MAX_LAG", MAX_LAG)
    return checked_max_lag(value, "setting AMERICANO_BACKFILL_MAX_LAG")


def default_max_lock_waits() -> int:
    """The lock-wait limit of the settings (``AMERICANO_BACKFILL_MAX_LOCK_WAITS``), checked."""
    value = getattr(settings, "AMERICANO_BACKFILL_MAX_LOCK_WAITS", MAX_LOCK_WAITS)
    return checked_max_lock_waits(value, "setting AMERICANO_BACKFILL_MAX_LOCK_WAITS")
