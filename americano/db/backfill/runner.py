"""The walk of one backfill: ranges of the primary key, one short transaction each.

Each range's upper bound comes from an index-only scan of the primary key; the
batch then updates ``pk > lower AND pk <= upper AND <pending>`` in a transaction
of its own (with ``lock_timeout``), which also advances the checkpoint
(``checkpoints.Checkpoint``). After each batch the runner reports its progress
(``americano.core.progress``); it never draws or prints anything itself.

A caller that must stop a run early (a command on SIGTERM) passes ``stop``: it is
asked between batches and during pauses, so a run stops only on a batch boundary,
with every committed batch in its checkpoint and nothing half-done.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import Error, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

from americano.core import progress
from americano.core.errors import one_line
from americano.db.backfill.checkpoints import Checkpoint, exclusive
from americano.db.backfill.errors import BadBackfill, BatchFailed
from americano.db.backfill.limits import (
    BATCH_SIZE,
    checked_batch_size,
    checked_max_rows,
    checked_sleep,
)
from americano.models import BackfillRun

#: What a caller passes as ``stop``: why to stop now (e.g. "SIGTERM"), or None to go on.
StopRequest = Callable[[], str | None]
#: The longest a pause goes without asking ``stop``.
PAUSE_SLICE = 0.1
LOCK_TIMEOUT = "5s"
#: Attempts after a batch lost a lock or a deadlock, each after a doubling pause.
RETRIES = 3
RETRY_PAUSE = 0.5
#: SQLSTATEs worth another attempt: lock_not_available, deadlock_detected, serialization_failure.
RETRYABLE_STATES = frozenset({"55P03", "40P01", "40001"})
#: A table below this size is counted exactly when its statistics are missing.
EXACT_COUNT_BYTES = 64 * 1024 * 1024


@dataclass
class Result:
    """What one run of a backfill did: a report (``ok`` when the backfill is finished)."""

    name: str
    finished: bool
    batches: int = 0
    rows: int = 0
    scanned: int = 0
    seconds: float = 0.0
    slowest_batch: float = 0.0
    rows_done: int = 0
    last_key: str | None = None
    #: Why an unfinished run stopped: "max_rows", or what ``stop`` said (e.g. "SIGTERM").
    stopped_by: str | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> bool:
        return self.finished

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": "finished" if self.finished else "unfinished",
            "batches": self.batches,
            "rows": self.rows,
            "scanned": self.scanned,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "slowest_batch_seconds": round(self.slowest_batch, 3),
            "rows_done": self.rows_done,
            "last_key": self.last_key,
            "stopped_by": self.stopped_by,
        }


def pause(seconds: float, stop: StopRequest | None = None) -> None:
    """Sleep ``seconds``, in short slices that end as soon as ``stop`` asks to."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0 and not (stop and stop()):
        time.sleep(min(left, PAUSE_SLICE))


def _condition(pending):
    """``pending`` as something ``QuerySet.filter`` takes: a ``Q``, or raw SQL as a condition."""
    if pending is None or isinstance(pending, models.Q):
        return pending
    if isinstance(pending, str):
        return RawSQL(pending, (), output_field=models.BooleanField())
    raise TypeError(f"pending must be a Q or an SQL condition, not {type(pending).__name__}")


class Backfill:
    """One backfill of a model's table on ``connection``: the walk, resuming and throttling.

    ``pending`` selects the rows not yet done (a ``Q`` or an SQL condition).
    ``update`` is ``{field: value or expression}``, an SQL ``SET`` clause, or a
    function taking the queryset of a batch's pending rows and returning how
    many it changed. ``model`` may be a historical model from a migration state.
    ``connection`` must be the one Django knows by its alias (``connections[alias]``,
    as a migration's or a command's is): the ORM reaches it by that alias.
    """

    def __init__(
        self,
        name: str,
        model: type[models.Model],
        *,
        connection: BaseDatabaseWrapper,
        pending,
        update,
        app_label: str | None = None,
        batch_size: int = BATCH_SIZE,
        sleep: float = 0.0,
        lock_timeout: str = LOCK_TIMEOUT,
        retries: int = RETRIES,
    ):
        self.name = name
        self.batch_size = checked_batch_size(batch_size, f"backfill {name}: batch size")
        self.sleep = checked_sleep(sleep, f"backfill {name}: sleep")
        self.model = model
        self.connection = connection
        self.app_label = app_label or model._meta.app_label
        self.update = update
        self.lock_timeout = str(lock_timeout)
        self.retries = retries
        self.table = model._meta.db_table
        self.pk = model._meta.pk
        self.checkpoints = Checkpoint(name, connection)
        try:
            self.rows = model._base_manager.db_manager(connection.alias).all()
            condition = _condition(pending)
            if condition is not None:
                self.rows = self.rows.filter(condition)
            if isinstance(update, dict):
                for field_name in update:
                    model._meta.get_field(field_name)
            elif isinstance(update, str) and len(self.rows.query.alias_map) > 1:
                raise FieldError("an SQL update needs a pending filter on the table's own columns")
            elif not isinstance(update, str) and not callable(update):
                raise FieldError(f"update must be a dict, SQL or a function, not {update!r}")
        except (FieldError, FieldDoesNotExist) as error:
            raise BadBackfill(f"backfill {name}: {one_line(error)}") from error

    def _quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def register(self) -> None:
        """Create the checkpoint row, if there is none: the backfill is then known and pending."""
        self.checkpoints.register(self.app_label, self.table)

    def checkpoint(self) -> BackfillRun | None:
        return self.checkpoints.get()

    def estimate_rows(self) -> int | None:
        """The table's row count from its statistics (exact for a small unanalysed table)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint, pg_relation_size(oid) FROM pg_class"
                " WHERE oid = to_regclass(%s)",
                [self._quote(self.table)],
            )
            row = cursor.fetchone()
            if row is None:
                return None
            estimate, size = row
            if estimate >= 0:
                return estimate
            if size > EXACT_COUNT_BYTES:
                return None
            cursor.execute(f"SELECT count(*) FROM {self._quote(self.table)}")
            return cursor.fetchone()[0]

    def pending_rows(self) -> int:
        """How many rows the rest of the walk would update (a full count: for dry runs)."""
        checkpoint = self.checkpoint()
        if checkpoint and checkpoint.finished_at:
            return 0
        rows = self.rows
        if checkpoint and checkpoint.last_key is not None:
            rows = rows.filter(pk__gt=self.pk.to_python(checkpoint.last_key))
        return rows.count()

    def run(self, *, max_rows: int | None = None, stop: StopRequest | None = None) -> Result:
        """Walk from the checkpoint to the end of the table, or until ``max_rows`` rows changed
        or ``stop`` asks to stop (checked between batches; the result says why).

        Raises ``BatchFailed`` when a batch fails for good (after ``retries`` for a
        lost lock); the batches before it stay committed and the checkpoint says so.
        """
        if max_rows is not None:
            max_rows = checked_max_rows(max_rows, f"backfill {self.name}: max rows")
        started = time.perf_counter()
        self.register()
        with exclusive(self.name, self.connection), self._lock_timeout_restored():
            result = self._walk(max_rows, stop or (lambda: None))
        result.seconds = time.perf_counter() - started
        return result

    def _walk(self, max_rows: int | None, stop: StopRequest) -> Result:
        self.checkpoints.start()
        checkpoint = self.checkpoint()
        result = Result(
            self.name,
            finished=checkpoint.finished_at is not None,
            rows_done=checkpoint.rows_done,
            last_key=checkpoint.last_key,
        )
        scanned = checkpoint.rows_scanned
        estimate = None if result.finished else self.estimate_rows()
        lower = None if checkpoint.last_key is None else self.pk.to_python(checkpoint.last_key)
        while not result.finished:
            if max_rows is not None and result.rows >= max_rows:
                result.stopped_by = "max_rows"
                break
            if result.batches and self.sleep:
                pause(self.sleep, stop)
            reason = stop()
            if reason:
                result.stopped_by = reason
                break
            batch_started = time.perf_counter()
            rows, batch_scanned, upper, result.finished = self._batch_with_retries(lower, stop)
            result.slowest_batch = max(result.slowest_batch, time.perf_counter() - batch_started)
            result.rows += rows
            result.rows_done += rows
            result.scanned += batch_scanned
            scanned += batch_scanned
            if upper is not None:
                lower, result.last_key = upper, str(upper)
                result.batches += 1
            progress.report(
                f"backfill {self.name}",
                done=scanned,
                total=estimate,
                detail=f"{result.rows_done:,} rows updated",
            )
        return result

    @contextlib.contextmanager
    def _lock_timeout_restored(self) -> Iterator[None]:
        """Inside an outer transaction the batches' ``SET LOCAL`` would outlive them: undo it."""
        if not self.connection.in_atomic_block:
            yield
            return
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('lock_timeout')")
            before = cursor.fetchone()[0]
        try:
            yield
        finally:
            with contextlib.suppress(Error), self.connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])

    def _batch_with_retries(self, lower, stop: StopRequest) -> tuple[int, int, Any, bool]:
        """``_batch``, again after a lost lock or a deadlock; each failure is recorded.
        A stop request during the pause before a retry ends the run with the failure."""
        attempt = 0
        while True:
            try:
                return self._batch(lower)
            except Exception as error:
                self.checkpoints.record_error(error)
                state = getattr(error.__cause__, "sqlstate", None)
                if state in RETRYABLE_STATES and attempt < self.retries:
                    pause(RETRY_PAUSE * 2**attempt, stop)
                    attempt += 1
                    if not stop():
                        continue
                where = "at the start" if lower is None else f"after key {lower!r}"
                raise BatchFailed(
                    f"backfill {self.name}: batch {where} failed: {one_line(error)}"
                ) from error

    def _batch(self, lower) -> tuple[int, int, Any, bool]:
        """One range in one transaction: ``(rows updated, rows in range, upper key, last?)``."""
        table, pk = self._quote(self.table), self._quote(self.pk.column)
        after = "" if lower is None else f"WHERE {pk} > %s"
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [self.lock_timeout])
            cursor.execute(
                f"SELECT max({pk}), count(*) FROM"
                f" (SELECT {pk} FROM {table} {after} ORDER BY {pk} LIMIT %s) AS batch",
                [*([] if lower is None else [lower]), self.batch_size],
            )
            upper, scanned = cursor.fetchone()
            if not scanned:
                self.checkpoints.finish()
                return 0, 0, None, True
            rows = self._apply(lower, upper)
            last = scanned < self.batch_size
            self.checkpoints.advance(upper, rows, scanned, last=last)
        return rows, scanned, upper, last

    def _apply(self, lower, upper) -> int:
        """Run the update on the pending rows of one range; return how many it changed."""
        rows = self.rows.filter(pk__lte=upper)
        if lower is not None:
            rows = rows.filter(pk__gt=lower)
        if isinstance(self.update, dict):
            return rows.update(**self.update)
        if isinstance(self.update, str):
            compiler = rows.query.get_compiler(using=self.connection.alias)
            where, params = compiler.compile(rows.query.where)
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self._quote(self.table)} SET {self.update} WHERE {where}", params
                )
                return cursor.rowcount
        return int(self.update(rows) or 0)
