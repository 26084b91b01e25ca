"""The bounds of a backfill's settings, checked wherever a value comes from.

A migration's ``RunBackfill``, a ``Backfill`` built in code and the command line
all pass through these, so a bad value is refused before a checkpoint row is
written. Each bound has a reason: a batch is one transaction that keeps its
rows locked until it commits (a batch of millions is the long-locking
``UPDATE`` a backfill exists to avoid, and a size beyond ``bigint`` fails in
the server); a pause that is NaN or infinite never ends well, and one longer
than an hour is better spent between two runs (``--max-rows``).
"""

import math
from numbers import Integral, Real

from americano.db.backfill.errors import BadBackfill

BATCH_SIZE = 5_000
MAX_BATCH_SIZE = 1_000_000
MAX_SLEEP = 3600
#: More rows than any table of this project holds; a bigger limit is a typo.
MAX_ROWS = 10**12


def _checked_whole(value: object, what: str, high: int, why: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not 1 <= value <= high:
        raise BadBackfill(f"{what} must be a whole number from 1 to {high:,}{why}")
    return int(value)


def checked_batch_size(value: object, what: str = "batch size") -> int:
    """``value`` as a batch size; ``BadBackfill`` (one line, with the reason) otherwise."""
    why = ": one batch is one transaction that keeps its rows locked until it commits"
    return _checked_whole(value, what, MAX_BATCH_SIZE, why)


def checked_sleep(value: object, what: str = "sleep") -> float:
    """``value`` as seconds between batches: finite, from 0 to ``MAX_SLEEP``."""
    valid = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
    if not valid or not 0 <= value <= MAX_SLEEP:
        raise BadBackfill(
            f"{what} must be a number of seconds from 0 to {MAX_SLEEP}: for longer pauses,"
            " stop with --max-rows and run again later"
        )
    return float(value)


def checked_max_rows(value: object, what: str = "max rows") -> int:
    """``value`` as the rows one run may update before it stops."""
    why = " (more than any table holds); leave it out to run to the end"
    return _checked_whole(value, what, MAX_ROWS, why)
