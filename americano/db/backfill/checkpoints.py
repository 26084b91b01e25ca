"""Where each backfill got to, its key ranges in flight, and the locks of its sessions.

A backfill's checkpoint is its ``BackfillRun`` row (table ``americano_backfill``):
everything up to ``last_key`` is done. Beyond it, the ranges that workers claimed are
``BackfillRange`` rows (table ``americano_backfill_range``), claimed in key order in a
short transaction each, and marked done in the SAME transaction as the range's rows
(with the run's counters): a range still ``claimed`` was not done, and its run died
or stopped before it. The coordinator moves ``last_key`` over the contiguous done
prefix and deletes those ranges, in one transaction.

Two advisory locks: the coordinator holds ``lock_key(name)`` (one coordinator per
backfill); every worker session holds ``workers_lock_key(name)`` shared, so that a new
coordinator can wait for the worker sessions of a killed run to leave the server
before it redoes their ranges.
"""

import contextlib
import hashlib
from collections.abc import Iterator
from typing import Any

from django.db import Error, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, Now

from americano.core.errors import one_line
from americano.db.backfill.errors import AlreadyRunning
from americano.models import BackfillRange, BackfillRun

CHECKPOINT_TABLE = BackfillRun._meta.db_table
RANGE_TABLE = BackfillRange._meta.db_table
#: The migration that creates the checkpoint table: every migration with a backfill depends on
#: it. The range table comes with ``americano.0002``, which ``migrate`` applies before the
#: other apps' migrations (it plans the apps in name order); kept at 0001 for the migrations
#: already applied that name it.
CHECKPOINT_MIGRATION = ("americano", "0001_backfill_checkpoints")
DONE = BackfillRange.State.DONE
CLAIMED = BackfillRange.State.CLAIMED


def checkpoint_rows(connection: BaseDatabaseWrapper) -> QuerySet[BackfillRun]:
    """The checkpoint rows of the database of ``connection``."""
    return BackfillRun.objects.using(connection.alias)


def read_checkpoints(connection: BaseDatabaseWrapper) -> dict[str, BackfillRun]:
    """Every checkpoint row, by backfill name."""
    return {run.name: run for run in checkpoint_rows(connection).order_by("name")}


def missing_tables(connection: BaseDatabaseWrapper) -> list[str]:
    """The backfill tables that ``migrate`` has not created in this database yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NULL",
            [[CHECKPOINT_TABLE, RANGE_TABLE]],
        )
        return [name for (name,) in cursor.fetchall()]


def forget(name: str, connection: BaseDatabaseWrapper) -> None:
    """Delete a checkpoint and its ranges, so that the backfill starts from the first row."""
    checkpoint_rows(connection).filter(name=name).delete()


def lock_key(name: str) -> int:
    """The advisory lock key that keeps two coordinators from running one backfill at once."""
    digest = hashlib.blake2b(f"americano_backfill:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def workers_lock_key(name: str) -> int:
    """The advisory lock key that every worker session of backfill ``name`` holds shared."""
    return lock_key(f"{name}:workers")


def _holders(key: int, connection: BaseDatabaseWrapper) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s::bigint::oid AND objid = %s::bigint::oid AND objsubid = 1"
            " ORDER BY mode DESC, pid",
            [(key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF],
        )
        return [pid for (pid,) in cursor.fetchall()]


def session_pids(name: str, connection: BaseDatabaseWrapper) -> list[int]:
    """The server processes of backfill ``name``: its coordinator first, then its workers
    (also those of a killed run that linger on the server)."""
    return _holders(lock_key(name), connection) + _holders(workers_lock_key(name), connection)


def running_pid(name: str, connection: BaseDatabaseWrapper) -> int | None:
    """The server process of a session running backfill ``name``, if one is."""
    return next(iter(session_pids(name, connection)), None)


def _try_lock(key: int, connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return cursor.fetchone()[0]


def _unlock(key: int, connection: BaseDatabaseWrapper) -> None:
    with contextlib.suppress(Error), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


@contextlib.contextmanager
def exclusive(name: str, connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Hold the backfill's coordinator lock, which a second runner would fail to take."""
    key = lock_key(name)
    if not _try_lock(key, connection):
        pid = running_pid(name, connection)
        where = f" (server pid {pid})" if pid else ""
        raise AlreadyRunning(f"backfill {name} is already running in another session{where}")
    try:
        yield
    finally:
        _unlock(key, connection)


def workers_gone(name: str, connection: BaseDatabaseWrapper) -> bool:
    """Whether no worker session of backfill ``name`` is left on the server (a killed run's
    worker lingers until its statement ends: its batch then rolls back)."""
    key = workers_lock_key(name)
    if not _try_lock(key, connection):
        return False
    _unlock(key, connection)
    return True


def join_workers(name: str, connection: BaseDatabaseWrapper) -> int:
    """Mark ``connection`` as a worker session of backfill ``name``; its server pid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_lock_shared(%s), pg_backend_pid()", [workers_lock_key(name)]
        )
        return cursor.fetchone()[1]


class Checkpoint:
    """The checkpoint row of one backfill and its ranges, as the runner writes them.

    Every method works on the connection that Django gives the calling thread for the
    alias (a worker's own), in whatever transaction is open there: ``mark_done`` runs
    inside the batch's ``transaction.atomic``.
    """

    def __init__(self, name: str, connection: BaseDatabaseWrapper):
        self.name = name
        self.alias = connection.alias
        self.rows = checkpoint_rows(connection)
        self.row = self.rows.filter(name=name)

    @property
    def ranges(self) -> QuerySet[BackfillRange]:
        return BackfillRange.objects.using(self.alias).filter(backfill__name=self.name)

    def get(self) -> BackfillRun | None:
        return self.row.first()

    def register(self, app_label: str, table: str) -> None:
        """Create the row, if there is none: the backfill is then known and pending."""
        self.rows.bulk_create(
            [BackfillRun(name=self.name, app_label=app_label, table=table)],
            ignore_conflicts=True,
        )

    def start(self) -> None:
        """Note when the first run began (kept from run to run) and that one runs now."""
        self.row.filter(finished_at__isnull=True).update(
            started_at=Coalesce("started_at", Now()), updated_at=Now()
        )

    def open_ranges(self) -> list[BackfillRange]:
        """The ranges after ``last_key``, in key order (the order they were claimed in)."""
        return list(self.ranges.order_by("id"))

    def claim(
        self, run: BackfillRun, lower: Any, upper: Any, scanned: int, worker: int, pid: int | None
    ) -> int:
        """Record that ``worker`` takes range ``(lower, upper]``; its id."""
        created = BackfillRange.objects.using(self.alias).create(
            backfill=run,
            lower_key=None if lower is None else str(lower),
            upper_key=str(upper),
            rows_scanned=scanned,
            worker=worker,
            worker_pid=pid,
        )
        return created.pk

    def reclaim(self, range_id: int, worker: int, pid: int | None) -> None:
        """A range claimed by a run that died: ``worker`` takes it over."""
        self.ranges.filter(pk=range_id).update(worker=worker, worker_pid=pid, claimed_at=Now())

    def mark_done(self, range_id: int, rows: int, scanned: int) -> None:
        """Inside the batch's transaction: the range is done, the run's counters grow."""
        self.ranges.filter(pk=range_id).update(state=DONE, rows_done=rows, done_at=Now())
        self.row.update(
            rows_done=F("rows_done") + rows,
            rows_scanned=F("rows_scanned") + scanned,
            batches=F("batches") + 1,
            updated_at=Now(),
            last_error="",
        )

    def advance(self, last_key: Any, done: list[int], *, finished: bool = False) -> None:
        """Everything up to ``last_key`` is done: move the checkpoint, forget those ranges
        (and, when ``finished``, every range: nothing is left after the last key)."""
        with transaction.atomic(using=self.alias):
            self.row.update(
                last_key=None if last_key is None else str(last_key),
                updated_at=Now(),
                finished_at=Now() if finished else None,
            )
            (self.ranges if finished else self.ranges.filter(pk__in=done)).delete()

    def record_error(self, error: BaseException) -> None:
        """Count a failed batch attempt and keep its message (best effort)."""
        with contextlib.suppress(Error):
            self.row.update(
                errors=F("errors") + 1, last_error=one_line(error)[:1000], updated_at=Now()
            )
