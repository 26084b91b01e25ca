"""Batched, resumable, throttled data backfills, and the migration operations that run them.

One ``UPDATE`` over a table of millions of rows locks them all for minutes and
bloats the table; a ``RunPython`` that dies halfway cannot continue. A backfill
instead walks the primary key in ranges of ``batch_size`` rows, each range in a
transaction of its own that also advances the backfill's checkpoint row
(``BackfillRun``, table ``americano_backfill``). Killed at any point, the next run
starts after the last committed range, so no row is updated twice or skipped;
rows that are no longer pending are left alone, so running a finished backfill
again changes nothing.

Rows inserted behind the walk (keys below the checkpoint) are not visited: code
deployed before the backfill starts must already write the new values.

The package: ``runner`` (the walk, ``Backfill`` and its ``Result``),
``checkpoints`` (the rows and the one-runner lock), ``operations``
(``RunBackfill``), ``discovery`` (backfills by name, ``FinishBackfill``),
``guard`` (``GuardConversion``, ``integer_guard``), ``limits`` (the bounds of
batch sizes and pauses), ``errors``. Migration files
import from here. It uses the ``BackfillRun`` model: import it once Django is set
up (migration modules always are), never from settings.
"""

from americano.db.backfill.checkpoints import CHECKPOINT_MIGRATION, CHECKPOINT_TABLE
from americano.db.backfill.discovery import (
    Definition,
    FinishBackfill,
    find_backfill,
    find_backfills,
)
from americano.db.backfill.errors import BackfillError
from americano.db.backfill.guard import GuardConversion, integer_guard
from americano.db.backfill.limits import BATCH_SIZE
from americano.db.backfill.operations import RunBackfill
from americano.db.backfill.runner import Backfill, Result

__all__ = [
    "BATCH_SIZE",
    "CHECKPOINT_MIGRATION",
    "CHECKPOINT_TABLE",
    "Backfill",
    "BackfillError",
    "Definition",
    "FinishBackfill",
    "GuardConversion",
    "Result",
    "RunBackfill",
    "find_backfill",
    "find_backfills",
    "integer_guard",
]
