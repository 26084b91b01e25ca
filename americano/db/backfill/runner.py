"""One backfill: its settings, its ``Result``, and the batch that a worker runs on one range.

The walk itself (ranges bounded by index-only scans of the primary key, handed to the
workers, the checkpoint moved over them, the throttle) is the coordinator's
(``coordinator.Walk``); the workers are threads with a connection each
(``workers``). A batch updates ``pk > lower AND pk <= upper AND <pending>`` in a
transaction of its own (with ``lock_timeout``) that also marks its range done
(``checkpoints.Checkpoint``). The runner reports its progress
(``americano.core.progress``); it never draws or prints anything itself.

A caller that must stop a run early (a command on SIGTERM) passes ``stop``: it is
asked between batches and during pauses, so a run stops only on batch boundaries,
with every committed batch in its checkpoint and nothing half-done.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import Error, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

from americano.core.errors import one_line
from americano.db.backfill.checkpoints import Checkpoint
from americano.db.backfill.coordinator import Walk
from americano.db.backfill.errors import BadBackfill, BatchFailed
from americano.db.backfill.limits import (
    BATCH_SIZE,
    checked_batch_size,
    checked_max_rows,
    checked_sleep,
    checked_workers,
)
from americano.db.backfill.results import Finished, Grant, Result, StopRequest, pause
from americano.db.backfill.throttle import Throttle
from americano.models import BackfillRun

LOCK_TIMEOUT = "5s"
#: Attempts after a batch lost a lock or a deadlock, each after a doubling pause.
RETRIES = 3
RETRY_PAUSE = 0.5
#: SQLSTATEs worth another attempt: lock_not_available, deadlock_detected, serialization_failure.
RETRYABLE_STATES = frozenset({"55P03", "40P01", "40001"})
#: A table below this size is counted exactly when its statistics are missing.
EXACT_COUNT_BYTES = 64 * 1024 * 1024


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
    as a migration's or a command's is): the ORM reaches it by that alias, and each
    worker thread gets its own connection of that alias. ``workers`` ranges are
    updated at once; ``max_lag``, ``max_lock_waits`` and ``replica`` set the throttle
    (``throttle.Throttle``; the limits default to the settings).
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
        workers: int = 1,
        max_lag: float | None = None,
        max_lock_waits: int | None = None,
        replica: BaseDatabaseWrapper | None = None,
    ):
        self.name = name
        self.batch_size = checked_batch_size(batch_size, f"backfill {name}: batch size")
        self.sleep = checked_sleep(sleep, f"backfill {name}: sleep")
        self.workers = checked_workers(workers, f"backfill {name}: workers")
        self.throttle_settings = {"max_lag": max_lag, "max_lock_waits": max_lock_waits}
        self.replica = replica
        self.new_throttle()  # checks the limits now, before anything is written
        self.model = model
        self.connection = connection
        self.alias = connection.alias
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

    def new_throttle(self) -> Throttle:
        """The throttle of one run, with this backfill's limits."""
        return Throttle(replica=self.replica, **self.throttle_settings)

    def quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def key(self, text: str | None) -> Any:
        """A key as the checkpoint stores it (text), back as the primary key's value."""
        return None if text is None else self.pk.to_python(text)

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
                [self.quote(self.table)],
            )
            row = cursor.fetchone()
            if row is None:
                return None
            estimate, size = row
            if estimate >= 0:
                return estimate
            if size > EXACT_COUNT_BYTES:
                return None
            cursor.execute(f"SELECT count(*) FROM {self.quote(self.table)}")
            return cursor.fetchone()[0]

    def pending_rows(self) -> int:
        """How many rows the rest of the walk would update (a full count: for dry runs)."""
        checkpoint = self.checkpoint()
        if checkpoint and checkpoint.finished_at:
            return 0
        rows = self.rows
        if checkpoint and checkpoint.last_key is not None:
            rows = rows.filter(pk__gt=self.key(checkpoint.last_key))
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
        with self._lock_timeout_restored():
            result = Walk(self, max_rows, stop or (lambda: None)).run()
        result.seconds = time.perf_counter() - started
        return result

    def bound(self, lower: Any) -> tuple[Any, int]:
        """The next range after ``lower`` (None: the start), by an index-only scan of the
        primary key on the caller's connection: ``(upper key, keys in the range)``."""
        table, pk = self.quote(self.table), self.quote(self.pk.column)
        after = "" if lower is None else f"WHERE {pk} > %s"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT max({pk}), count(*) FROM"
                f" (SELECT {pk} FROM {table} {after} ORDER BY {pk} LIMIT %s) AS batch",
                [*([] if lower is None else [lower]), self.batch_size],
            )
            return cursor.fetchone()

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

    def execute(self, grant: Grant, stop: StopRequest, aborted: Callable[[], bool]) -> Finished:
        """Run the batch of ``grant`` on the calling thread's connection, again after a lost
        lock or a deadlock; each failure is recorded, unless the run is being aborted (its
        query cancelled). A stop request during the pause before a retry ends the run
        with the failure."""
        started = time.perf_counter()
        attempt = 0
        while True:
            try:
                rows = self._batch(grant)
                return Finished(grant, rows, time.perf_counter() - started)
            except Exception as error:
                if aborted():
                    return Finished(grant, 0, time.perf_counter() - started, error)
                self.checkpoints.record_error(error)
                state = getattr(error.__cause__, "sqlstate", None)
                if state in RETRYABLE_STATES and attempt < self.retries:
                    pause(RETRY_PAUSE * 2**attempt, stop)
                    attempt += 1
                    if not stop():
                        continue
                where = "at the start" if grant.lower is None else f"after key {grant.lower!r}"
                message = f"backfill {self.name}: batch {where} failed: {one_line(error)}"
                failed = BatchFailed(message)
                failed.__cause__ = error
                return Finished(grant, 0, time.perf_counter() - started, failed)

    def _batch(self, grant: Grant) -> int:
        """One range in one transaction, which also marks it done; the rows it changed."""
        connection = connections[self.alias]
        with transaction.atomic(using=self.alias), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [self.lock_timeout])
            rows = self._apply(connection, grant.lower, grant.upper)
            self.checkpoints.mark_done(grant.range_id, rows, grant.scanned)
        return rows

    def _apply(self, connection: BaseDatabaseWrapper, lower, upper) -> int:
        """Run the update on the pending rows of one range; return how many it changed."""
        rows = self.rows.filter(pk__lte=upper)
        if lower is not None:
            rows = rows.filter(pk__gt=lower)
        if isinstance(self.update, dict):
            return rows.update(**self.update)
        if isinstance(self.update, str):
            compiler = rows.query.get_compiler(using=self.alias)
            where, params = compiler.compile(rows.query.where)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self.quote(self.table)} SET {self.update} WHERE {where}", params
                )
                return cursor.rowcount
        return int(self.update(rows) or 0)
