"""Where each backfill got to, and the lock that lets only one session run it.

A backfill's checkpoint is its ``BackfillRun`` row (table ``americano_backfill``).
The runner advances it through the ORM on the batch's own connection, inside the
batch's own transaction: the row and the batch's updates commit together or not
at all, so a run killed at any point resumes exactly after ``last_key``.
"""

import contextlib
import hashlib
from collections.abc import Iterator
from typing import Any

from django.db import Error
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, Now

from americano.core.errors import one_line
from americano.db.backfill.errors import AlreadyRunning
from americano.models import BackfillRun

CHECKPOINT_TABLE = BackfillRun._meta.db_table
#: The migration that creates the checkpoint table: every migration with a backfill depends on it.
CHECKPOINT_MIGRATION = ("americano", "0001_backfill_checkpoints")


def checkpoint_rows(connection: BaseDatabaseWrapper) -> QuerySet[BackfillRun]:
    """The checkpoint rows of the database of ``connection``."""
    return BackfillRun.objects.using(connection.alias)


def read_checkpoints(connection: BaseDatabaseWrapper) -> dict[str, BackfillRun]:
    """Every checkpoint row, by backfill name."""
    return {run.name: run for run in checkpoint_rows(connection).order_by("name")}


def checkpoint_table_exists(connection: BaseDatabaseWrapper) -> bool:
    """Whether ``migrate`` has created the checkpoint table in this database yet."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [CHECKPOINT_TABLE])
        return cursor.fetchone()[0]


def forget(name: str, connection: BaseDatabaseWrapper) -> None:
    """Delete a checkpoint, so that the backfill starts from the first row next time."""
    checkpoint_rows(connection).filter(name=name).delete()


def lock_key(name: str) -> int:
    """The advisory lock key that keeps two sessions from running one backfill at once."""
    digest = hashlib.blake2b(f"americano_backfill:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def running_pid(name: str, connection: BaseDatabaseWrapper) -> int | None:
    """The server process of the session running backfill ``name``, if one is."""
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s::bigint::oid AND objid = %s::bigint::oid AND objsubid = 1",
            [(key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@contextlib.contextmanager
def exclusive(name: str, connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Hold the backfill's advisory lock, which a second runner would fail to take."""
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        taken = cursor.fetchone()[0]
    if not taken:
        pid = running_pid(name, connection)
        where = f" (server pid {pid})" if pid else ""
        raise AlreadyRunning(f"backfill {name} is already running in another session{where}")
    try:
        yield
    finally:
        with contextlib.suppress(Error), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


class Checkpoint:
    """The checkpoint row of one backfill, as its runner creates and advances it.

    Each write is one ``UPDATE`` of the row, in whatever transaction is open on
    ``connection``: the runner calls them inside each batch's ``transaction.atomic``.
    """

    def __init__(self, name: str, connection: BaseDatabaseWrapper):
        self.name = name
        self.rows = checkpoint_rows(connection)
        self.row = self.rows.filter(name=name)

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

    def advance(self, last_key: Any, rows: int, scanned: int, *, last: bool) -> None:
        """One batch committed: up to ``last_key`` is done; ``last`` finishes the backfill."""
        self.row.update(
            last_key=str(last_key),
            rows_done=F("rows_done") + rows,
            rows_scanned=F("rows_scanned") + scanned,
            batches=F("batches") + 1,
            updated_at=Now(),
            last_error="",
            finished_at=Now() if last else None,
        )

    def finish(self) -> None:
        """Nothing is left after the last key."""
        self.row.update(finished_at=Now(), updated_at=Now(), last_error="")

    def record_error(self, error: BaseException) -> None:
        """Count a failed batch attempt and keep its message (best effort)."""
        with contextlib.suppress(Error):
            self.row.update(
                errors=F("errors") + 1, last_error=one_line(error)[:1000], updated_at=Now()
            )
