"""Batched, resumable, throttled data backfills, and the migration operations that run them.

One ``UPDATE`` over a table of millions of rows locks them all for minutes and
bloats the table; a ``RunPython`` that dies halfway cannot continue. A backfill
instead walks the primary key in ranges of ``batch_size`` rows, each range in a
transaction of its own that also marks the range done in the backfill's checkpoint
(``BackfillRun``, table ``americano_backfill``, and its ranges, ``BackfillRange``,
table ``americano_backfill_range``). ``workers`` connections update ranges at once;
a coordinator hands the ranges out, moves the checkpoint's ``last_key`` over those
done, and pauses while replicas lag or sessions wait on locks. Killed at any point,
the next run redoes the ranges that were claimed and not done, skips those done, and
goes on, so no row is updated twice or skipped; rows that are no longer pending are
left alone, so running a finished backfill again changes nothing.

Rows inserted behind the walk (keys below the checkpoint) are not visited: code
deployed before the backfill starts must already write the new values.

The package: ``runner`` (``Backfill``: settings and the batch of one range),
``coordinator`` (the walk), ``workers`` (threads with a connection each),
``checkpoints`` (the rows, the ranges and the locks), ``throttle`` (the database's
health and the pauses), ``results`` (``Result`` and what passes between them),
``operations`` (``RunBackfill``), ``discovery`` (backfills by name,
``FinishBackfill``), ``guard`` (``GuardConversion``, ``integer_guard``), ``limits``
(the bounds of every setting), ``errors``. Migration files import from here. It uses
the ``BackfillRun`` and ``BackfillRange`` models: import it once Django is set up
(migration modules always are), never from settings.
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
