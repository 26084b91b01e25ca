"""What stops a backfill, by what it means to the person who ran it.

``BackfillError`` is the family: ``except BackfillError`` catches every one. Each
member is also one of the library's kinds of error (``americano.core.errors``),
which decides the exit code: a finding of the work (exit 1: a batch failed for
good, the backfill runs elsewhere, rows would not convert), the caller's input
(exit 2: an unknown name, a wrong declaration or setting, a migration not
applied), or the database not set up for backfills (exit 2).
"""

from americano.core.errors import AmericanoError, FindingError, InputError, SetupError


class BackfillError(AmericanoError):
    """A backfill stopped or cannot start; its checkpoint says how far it got."""


class BatchFailed(BackfillError, FindingError):
    """A batch failed for good (after its retries); the batches before it stay committed."""


class AlreadyRunning(BackfillError, FindingError):
    """Another session holds the backfill's advisory lock: one runner at a time."""


class ConversionRefused(BackfillError, FindingError):
    """``GuardConversion`` found values that would not convert, and refuses to go on."""


class UnknownBackfill(BackfillError, InputError):
    """No ``RunBackfill`` of the migrations has that name."""


class BadBackfill(BackfillError, InputError):
    """A backfill declared or set up wrong: a field that does not exist, a name used twice,
    a batch size, pause or row limit out of bounds (``limits``), an unknown
    ``AMERICANO_ON_INVALID``."""


class AtomicMigration(BackfillError, InputError):
    """A backfill or guard in a migration without ``atomic = False``: its batches commit."""


class NotApplied(BackfillError, InputError):
    """The backfill's migration is not applied (and ``migrate`` never started it)."""


class NoCheckpointTable(BackfillError, SetupError):
    """The checkpoint table does not exist: ``migrate`` has not run on this database."""
