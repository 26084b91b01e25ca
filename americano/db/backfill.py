"""Batched, resumable, throttled data backfills, and the migration operations that run them.

One ``UPDATE`` over a table of millions of rows locks them all for minutes and
bloats the table; a ``RunPython`` that dies halfway cannot continue. A backfill
instead walks the primary key in ranges of ``batch_size`` rows. Each range's
upper bound comes from an index-only scan of the primary key; the batch then
updates ``pk > lower AND pk <= upper AND <pending>`` in a transaction of its own
(with ``lock_timeout``), which also advances the backfill's checkpoint row in
``americano_backfill``. Killed at any point, the next run starts after the last
committed range, so no row is updated twice or skipped; rows that are no longer
pending are left alone, so running a finished backfill again changes nothing.

Rows inserted behind the walk (keys below the checkpoint) are not visited: code
deployed before the backfill starts must already write the new values.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import FieldDoesNotExist, FieldError
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, Error, connections, models, router, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import SeparateDatabaseAndState
from django.db.migrations.operations.base import Operation
from django.db.models.expressions import RawSQL

CHECKPOINT_TABLE = "americano_backfill"
#: The migration that creates the checkpoint table: every migration with a backfill depends on it.
CHECKPOINT_MIGRATION = ("americano", "0001_backfill_checkpoints")
BATCH_SIZE = 5_000
LOCK_TIMEOUT = "5s"
#: Attempts after a batch lost a lock or a deadlock, each after a doubling pause.
RETRIES = 3
RETRY_PAUSE = 0.5
#: SQLSTATEs worth another attempt: lock_not_available, deadlock_detected, serialization_failure.
RETRYABLE_STATES = frozenset({"55P03", "40P01", "40001"})
#: Environment variable with which an operator overrides ``GuardConversion(on_invalid=...)``.
ON_INVALID_ENV = "AMERICANO_ON_INVALID"
ON_INVALID_CHOICES = ("refuse", "null")
#: A table below this size is counted exactly when its statistics are missing.
EXACT_COUNT_BYTES = 64 * 1024 * 1024

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


class BackfillError(CommandError):
    """A backfill stopped or cannot start; its checkpoint says how far it got.

    A ``CommandError`` so that ``migrate`` and ``backfill`` print one line: exit code 1
    for a failed or unfinished batch, 2 for a mistake (unknown name, atomic migration).
    """

    def __init__(self, message: str, returncode: int = 1):
        super().__init__(message, returncode=returncode)


def one_line(error: BaseException) -> str:
    """The first line of ``error``, fit for a checkpoint row or a terminal."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@dataclass(frozen=True)
class Progress:
    """What a backfill reports after each committed batch."""

    name: str
    batches: int  # in this run
    batch_rows: int
    batch_seconds: float
    rows_done: int  # all runs together
    rows_scanned: int
    rows_estimate: int | None  # the table's size, for a progress bar
    last_key: Any
    finished: bool


ProgressCallback = Callable[[Progress], None]


@dataclass
class Result:
    """What one run of a backfill did."""

    name: str
    finished: bool
    batches: int = 0
    rows: int = 0
    scanned: int = 0
    seconds: float = 0.0
    slowest_batch: float = 0.0
    rows_done: int = 0
    last_key: str | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Checkpoint:
    """A row of ``americano_backfill``."""

    name: str
    app_label: str
    table: str
    last_key: str | None
    rows_done: int
    rows_scanned: int
    batches: int
    started_at: Any
    updated_at: Any
    finished_at: Any
    errors: int
    last_error: str


def read_checkpoints(using: str = DEFAULT_DB_ALIAS) -> dict[str, Checkpoint]:
    """Every checkpoint row, by backfill name."""
    columns = ", ".join(f'"{column}"' for column in Checkpoint.__dataclass_fields__)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {CHECKPOINT_TABLE} ORDER BY name")
        return {row[0]: Checkpoint(*row) for row in cursor.fetchall()}


def checkpoint_table_exists(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether ``migrate`` has created ``americano_backfill`` in this database yet."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [CHECKPOINT_TABLE])
        return cursor.fetchone()[0]


def forget(name: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete a checkpoint, so that the backfill starts from the first row next time."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {CHECKPOINT_TABLE} WHERE name = %s", [name])


def lock_key(name: str) -> int:
    """The advisory lock key that keeps two sessions from running one backfill at once."""
    digest = hashlib.blake2b(f"americano_backfill:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def running_pid(name: str, using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The server process of the session running backfill ``name``, if one is."""
    key = lock_key(name)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s::bigint::oid AND objid = %s::bigint::oid AND objsubid = 1",
            [(key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _condition(pending):
    """``pending`` as something ``QuerySet.filter`` takes: a ``Q``, or raw SQL as a condition."""
    if pending is None or isinstance(pending, models.Q):
        return pending
    if isinstance(pending, str):
        return RawSQL(pending, (), output_field=models.BooleanField())
    raise TypeError(f"pending must be a Q or an SQL condition, not {type(pending).__name__}")


def _noop(queryset) -> int:
    """Change nothing: the update or reverse of a backfill that has nothing to do that way."""
    return 0


class Backfill:
    """One backfill of a model's table: the walk, the checkpoint, resuming and throttling.

    ``pending`` selects the rows not yet done (a ``Q`` or an SQL condition).
    ``update`` is ``{field: value or expression}``, an SQL ``SET`` clause, or a
    function taking the queryset of a batch's pending rows and returning how
    many it changed. ``model`` may be a historical model from a migration state.
    """

    def __init__(
        self,
        name: str,
        model: type[models.Model],
        *,
        pending,
        update,
        app_label: str | None = None,
        using: str = DEFAULT_DB_ALIAS,
        batch_size: int = BATCH_SIZE,
        sleep: float = 0.0,
        lock_timeout: str = LOCK_TIMEOUT,
        retries: int = RETRIES,
    ):
        if batch_size < 1:
            raise BackfillError(f"backfill {name}: batch size must be at least 1", returncode=2)
        if sleep < 0:
            raise BackfillError(f"backfill {name}: sleep cannot be negative", returncode=2)
        self.name = name
        self.model = model
        self.app_label = app_label or model._meta.app_label
        self.update = update
        self.using = using
        self.batch_size = batch_size
        self.sleep = sleep
        self.lock_timeout = str(lock_timeout)
        self.retries = retries
        self.table = model._meta.db_table
        self.pk = model._meta.pk
        try:
            self.rows = model._base_manager.db_manager(using).all()
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
            raise BackfillError(f"backfill {name}: {one_line(error)}", returncode=2) from error

    @property
    def connection(self):
        return connections[self.using]

    def _quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def register(self) -> None:
        """Create the checkpoint row, if there is none: the backfill is then known and pending."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO {CHECKPOINT_TABLE} (name, app_label, "table") VALUES (%s, %s, %s)'
                " ON CONFLICT (name) DO NOTHING",
                [self.name, self.app_label, self.table],
            )

    def checkpoint(self) -> Checkpoint | None:
        return read_checkpoints(self.using).get(self.name)

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

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold the backfill's advisory lock, which a second runner would fail to take."""
        key = lock_key(self.name)
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            taken = cursor.fetchone()[0]
        if not taken:
            pid = running_pid(self.name, self.using)
            where = f" (server pid {pid})" if pid else ""
            raise BackfillError(
                f"backfill {self.name} is already running in another session{where}"
            )
        try:
            yield
        finally:
            with contextlib.suppress(Error), self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])

    def run(
        self, *, max_rows: int | None = None, progress: ProgressCallback | None = None
    ) -> Result:
        """Walk from the checkpoint to the end of the table, or until ``max_rows`` rows changed.

        Raises ``BackfillError`` when a batch fails for good (after ``retries`` for a
        lost lock); the batches before it stay committed and the checkpoint says so.
        """
        started = time.perf_counter()
        self.register()
        with self._exclusive(), self._lock_timeout_restored():
            result = self._walk(max_rows, progress)
        result.seconds = time.perf_counter() - started
        return result

    def _walk(self, max_rows: int | None, progress: ProgressCallback | None) -> Result:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {CHECKPOINT_TABLE} SET started_at = coalesce(started_at, now()),"
                " updated_at = now() WHERE name = %s AND finished_at IS NULL",
                [self.name],
            )
        checkpoint = self.checkpoint()
        result = Result(
            self.name,
            finished=checkpoint.finished_at is not None,
            rows_done=checkpoint.rows_done,
            last_key=checkpoint.last_key,
        )
        scanned = checkpoint.rows_scanned
        estimate = self.estimate_rows() if progress and not result.finished else None
        lower = None if checkpoint.last_key is None else self.pk.to_python(checkpoint.last_key)
        while not result.finished and (max_rows is None or result.rows < max_rows):
            if result.batches and self.sleep:
                time.sleep(self.sleep)
            batch_started = time.perf_counter()
            rows, batch_scanned, upper, result.finished = self._batch_with_retries(lower)
            elapsed = time.perf_counter() - batch_started
            result.slowest_batch = max(result.slowest_batch, elapsed)
            result.rows += rows
            result.rows_done += rows
            result.scanned += batch_scanned
            scanned += batch_scanned
            if upper is not None:
                lower, result.last_key = upper, str(upper)
                result.batches += 1
            if progress:
                progress(
                    Progress(
                        self.name,
                        result.batches,
                        rows,
                        elapsed,
                        result.rows_done,
                        scanned,
                        estimate,
                        lower,
                        result.finished,
                    )
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

    def _batch_with_retries(self, lower) -> tuple[int, int, Any, bool]:
        """``_batch``, again after a lost lock or a deadlock; each failure is recorded."""
        attempt = 0
        while True:
            try:
                return self._batch(lower)
            except Exception as error:
                self._record_error(error)
                state = getattr(error.__cause__, "sqlstate", None)
                if state not in RETRYABLE_STATES or attempt >= self.retries:
                    where = "at the start" if lower is None else f"after key {lower!r}"
                    raise BackfillError(
                        f"backfill {self.name}: batch {where} failed: {one_line(error)}"
                    ) from error
                time.sleep(RETRY_PAUSE * 2**attempt)
                attempt += 1

    def _batch(self, lower) -> tuple[int, int, Any, bool]:
        """One range in one transaction: ``(rows updated, rows in range, upper key, last?)``."""
        table, pk = self._quote(self.table), self._quote(self.pk.column)
        after = "" if lower is None else f"WHERE {pk} > %s"
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [self.lock_timeout])
            cursor.execute(
                f"SELECT max({pk}), count(*) FROM"
                f" (SELECT {pk} FROM {table} {after} ORDER BY {pk} LIMIT %s) AS batch",
                [*([] if lower is None else [lower]), self.batch_size],
            )
            upper, scanned = cursor.fetchone()
            if not scanned:
                cursor.execute(
                    f"UPDATE {CHECKPOINT_TABLE} SET finished_at = now(), updated_at = now(),"
                    " last_error = '' WHERE name = %s",
                    [self.name],
                )
                return 0, 0, None, True
            rows = self._apply(lower, upper)
            last = scanned < self.batch_size
            cursor.execute(
                f"UPDATE {CHECKPOINT_TABLE} SET last_key = %s, rows_done = rows_done + %s,"
                " rows_scanned = rows_scanned + %s, batches = batches + 1, updated_at = now(),"
                " last_error = '', finished_at = CASE WHEN %s THEN now() END WHERE name = %s",
                [str(upper), rows, scanned, last, self.name],
            )
        return rows, scanned, upper, last

    def _apply(self, lower, upper) -> int:
        """Run the update on the pending rows of one range; return how many it changed."""
        rows = self.rows.filter(pk__lte=upper)
        if lower is not None:
            rows = rows.filter(pk__gt=lower)
        if isinstance(self.update, dict):
            return rows.update(**self.update)
        if isinstance(self.update, str):
            compiler = rows.query.get_compiler(using=self.using)
            where, params = compiler.compile(rows.query.where)
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self._quote(self.table)} SET {self.update} WHERE {where}", params
                )
                return cursor.rowcount
        return int(self.update(rows) or 0)

    def _record_error(self, error: BaseException) -> None:
        with contextlib.suppress(Error), self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {CHECKPOINT_TABLE} SET errors = errors + 1, last_error = %s,"
                " updated_at = now() WHERE name = %s",
                [one_line(error)[:1000], self.name],
            )


@contextlib.contextmanager
def terminal_progress(description: str, stream: IO[str] | None = None) -> Iterator:
    """A progress bar on ``stream`` (stdout) when it is a terminal, else no callback at all.

    The runner never prints; ``migrate`` (through the operations) and ``backfill``
    show this bar, which disappears when the backfill ends.
    """
    stream = stream or sys.stdout
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
    ) as bar:
        task = bar.add_task(f"backfill {description}", total=None, counts="")

        def update(progress: Progress) -> None:
            total = progress.rows_estimate
            if total is not None:
                total = max(total, progress.rows_scanned)
            counts = f"{progress.rows_scanned:,} rows scanned, {progress.rows_done:,} updated"
            bar.update(task, completed=progress.rows_scanned, total=total, counts=counts)

        yield update


def _require_autocommit(schema_editor, what: str) -> None:
    if schema_editor.atomic_migration:
        raise BackfillError(
            f"{what} commits each batch on its own: its migration must say `atomic = False`",
            returncode=2,
        )


class RunBackfill(Operation):
    """Change the data of a big table in batches, from a migration; see ``Backfill``.

    ``name`` is unique across the project: ``manage.py backfill NAME`` runs, resumes
    or reports it. ``pending`` selects the rows not yet done; ``update`` changes them
    (``{field: value or expression}``, an SQL ``SET`` clause, or ``function(queryset)
    -> rows changed``). ``reverse`` / ``reverse_pending`` do the same backwards;
    ``RunBackfill.noop`` says a direction has nothing to do, and no ``reverse`` makes
    the migration irreversible. With ``deferred=True`` ``migrate`` only registers the
    backfill, for ``manage.py backfill NAME`` after the deploy and a ``FinishBackfill``
    in a later migration.

    Each batch commits: the migration must say ``atomic = False`` (checked).
    """

    reduces_to_sql = False
    atomic = False
    noop = staticmethod(_noop)

    def __init__(
        self,
        name: str,
        model_name: str,
        *,
        update,
        pending=None,
        reverse=None,
        reverse_pending=None,
        batch_size: int = BATCH_SIZE,
        sleep: float = 0.0,
        lock_timeout: str = LOCK_TIMEOUT,
        deferred: bool = False,
    ):
        if not NAME_RE.match(name):
            raise ValueError(f"backfill name {name!r}: use letters, digits and _ . : -")
        if update is not _noop and pending is None:
            raise ValueError(
                f"backfill {name}: pending is required, so that re-runs skip the rows done"
            )
        self.name = name
        self.model_name = model_name
        self.update = update
        self.pending = pending
        self.reverse = reverse
        self.reverse_pending = reverse_pending
        self.batch_size = batch_size
        self.sleep = sleep
        self.lock_timeout = lock_timeout
        self.deferred = deferred

    def deconstruct(self):
        kwargs = {"name": self.name, "model_name": self.model_name, "update": self.update}
        defaults = {
            "pending": None,
            "reverse": None,
            "reverse_pending": None,
            "batch_size": BATCH_SIZE,
            "sleep": 0.0,
            "lock_timeout": LOCK_TIMEOUT,
            "deferred": False,
        }
        for key, default in defaults.items():
            if getattr(self, key) != default:
                kwargs[key] = getattr(self, key)
        return self.__class__.__qualname__, [], kwargs

    @property
    def reversible(self) -> bool:
        return self.reverse is not None

    @property
    def reverse_name(self) -> str:
        return f"{self.name}:reverse"

    def state_forwards(self, app_label, state):
        pass

    def references_model(self, name, app_label):
        return name.lower() == self.model_name.lower()

    def backfill(self, model, app_label: str, using: str, *, reverse: bool = False, **options):
        """The ``Backfill`` of this operation (or of its reverse) on ``model``."""
        settings = {
            "batch_size": self.batch_size,
            "sleep": self.sleep,
            "lock_timeout": self.lock_timeout,
        }
        settings.update({key: value for key, value in options.items() if value is not None})
        return Backfill(
            self.reverse_name if reverse else self.name,
            model,
            pending=self.reverse_pending if reverse else self.pending,
            update=self.reverse if reverse else self.update,
            app_label=app_label,
            using=using,
            **settings,
        )

    def _model(self, app_label, state):
        try:
            return state.apps.get_model(app_label, self.model_name)
        except LookupError as error:
            raise BackfillError(f"backfill {self.name}: {one_line(error)}", returncode=2) from error

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = self._model(app_label, to_state)
        alias = schema_editor.connection.alias
        if self.update is _noop or not router.allow_migrate_model(alias, model):
            return
        _require_autocommit(schema_editor, f"backfill {self.name}")
        backfill = self.backfill(model, app_label, alias)
        if self.deferred:
            backfill.register()
            return
        with terminal_progress(self.name) as progress:
            backfill.run(progress=progress)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = self._model(app_label, from_state)
        alias = schema_editor.connection.alias
        if not router.allow_migrate_model(alias, model):
            return
        if self.reverse is not _noop:
            _require_autocommit(schema_editor, f"backfill {self.name}")
            with terminal_progress(self.reverse_name) as progress:
                self.backfill(model, app_label, alias, reverse=True).run(progress=progress)
            forget(self.reverse_name, alias)
        # Applied again, the backfill must start over.
        forget(self.name, alias)

    def describe(self):
        mode = "Register" if self.deferred else "Run"
        return f"{mode} batched backfill {self.name} of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return "backfill_" + re.sub(r"\W+", "_", self.name.lower()).strip("_")


@dataclass(frozen=True)
class Definition:
    """Where a ``RunBackfill`` is: its app, its migration, and the operation itself."""

    app_label: str
    migration: str
    operation: RunBackfill


def _operations(operations):
    """``operations``, with those inside ``SeparateDatabaseAndState`` in their place."""
    for operation in operations:
        if isinstance(operation, SeparateDatabaseAndState):
            yield from _operations(operation.database_operations)
        else:
            yield operation


def find_backfills(loader: MigrationLoader | None = None) -> dict[str, Definition]:
    """Every ``RunBackfill`` in the migration files, by name.

    This is how ``manage.py backfill NAME`` and ``FinishBackfill`` find a backfill:
    names are unique across the project, which this checks along with the
    migrations being non-atomic.
    """
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    found: dict[str, Definition] = {}
    migrations = loader.disk_migrations
    # A squashed migration repeats the operations of those it replaces.
    replaced = {key for migration in migrations.values() for key in migration.replaces}
    for (app_label, migration_name), migration in sorted(migrations.items()):
        if (app_label, migration_name) in replaced:
            continue
        for operation in _operations(migration.operations):
            if not isinstance(operation, RunBackfill):
                continue
            where = f"{app_label}.{migration_name}"
            if operation.name in found:
                other = found[operation.name]
                raise BackfillError(
                    f"backfill name {operation.name} is used twice: in {where} and in "
                    f"{other.app_label}.{other.migration}",
                    returncode=2,
                )
            if migration.atomic:
                raise BackfillError(
                    f"migration {where} runs backfill {operation.name}: it must say"
                    " `atomic = False`",
                    returncode=2,
                )
            found[operation.name] = Definition(app_label, migration_name, operation)
    return found


def find_backfill(name: str) -> Definition:
    """The ``RunBackfill`` called ``name``; a one-line error lists the known names otherwise."""
    found = find_backfills()
    if name not in found:
        known = ", ".join(sorted(found)) or "none"
        raise BackfillError(f"no backfill named {name!r} (known: {known})", returncode=2)
    return found[name]


class FinishBackfill(Operation):
    """Make sure backfill ``name`` is finished before the rest of the migration runs.

    The second half of a deferred backfill, in a later (post-deploy) migration: if
    ``manage.py backfill NAME`` has not finished it, this resumes it from its
    checkpoint and finishes it here. Reversing it does nothing.
    """

    reduces_to_sql = False
    reversible = True
    atomic = False

    def __init__(self, name: str):
        self.name = name

    def deconstruct(self):
        return self.__class__.__qualname__, [self.name], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        alias = schema_editor.connection.alias
        checkpoint = read_checkpoints(alias).get(self.name)
        if checkpoint and checkpoint.finished_at:
            return
        _require_autocommit(schema_editor, f"finishing backfill {self.name}")
        definition = find_backfill(self.name)
        operation = definition.operation
        model = operation._model(definition.app_label, to_state)
        if operation.update is _noop or not router.allow_migrate_model(alias, model):
            return
        with terminal_progress(self.name) as progress:
            operation.backfill(model, definition.app_label, alias).run(progress=progress)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Finish batched backfill {self.name}"

    @property
    def migration_name_fragment(self):
        return "finish_" + re.sub(r"\W+", "_", self.name.lower()).strip("_")


def integer_guard(column: str) -> str:
    """An SQL condition, true when text ``column`` (quoted SQL) converts to ``integer``.

    A regular expression first, so that the range check never casts garbage.
    """
    return (
        f"CASE WHEN {column} ~ '^\\s*[+-]?[0-9]+\\s*$'"
        f" THEN {column}::numeric BETWEEN -2147483648 AND 2147483647 ELSE false END"
    )


class GuardConversion(Operation):
    """Before a column's type changes: find the rows whose value would not convert.

    ``valid`` is an SQL condition true for a value that converts (``integer_guard``).
    With ``on_invalid="refuse"`` the migration stops, before anything changed, with
    a report of those rows; with ``"null"`` they are set to NULL first, in batches.
    The operator overrides the choice for one run with ``AMERICANO_ON_INVALID``.
    Reversing it does nothing (the nulled values are gone).
    """

    reduces_to_sql = False
    reversible = True
    atomic = False

    def __init__(
        self,
        model_name: str,
        field_name: str,
        valid: str,
        *,
        on_invalid: str = "refuse",
        sample: int = 10,
        batch_size: int = BATCH_SIZE,
        lock_timeout: str = LOCK_TIMEOUT,
    ):
        if on_invalid not in ON_INVALID_CHOICES:
            raise ValueError(f"on_invalid must be one of {ON_INVALID_CHOICES}, not {on_invalid!r}")
        self.model_name = model_name
        self.field_name = field_name
        self.valid = valid
        self.on_invalid = on_invalid
        self.sample = sample
        self.batch_size = batch_size
        self.lock_timeout = lock_timeout

    def deconstruct(self):
        kwargs = {"on_invalid": self.on_invalid}
        for key, default in (("sample", 10), ("batch_size", BATCH_SIZE)):
            if getattr(self, key) != default:
                kwargs[key] = getattr(self, key)
        if self.lock_timeout != LOCK_TIMEOUT:
            kwargs["lock_timeout"] = self.lock_timeout
        return self.__class__.__qualname__, [self.model_name, self.field_name, self.valid], kwargs

    def state_forwards(self, app_label, state):
        pass

    def references_model(self, name, app_label):
        return name.lower() == self.model_name.lower()

    def policy(self) -> str:
        """``on_invalid``, unless the operator set ``AMERICANO_ON_INVALID`` for this run."""
        value = os.environ.get(ON_INVALID_ENV, "").strip().lower() or self.on_invalid
        if value not in ON_INVALID_CHOICES:
            raise BackfillError(
                f"{ON_INVALID_ENV} must be one of {', '.join(ON_INVALID_CHOICES)}, not {value!r}",
                returncode=2,
            )
        return value

    def checkpoint_name(self, model) -> str:
        return f"{model._meta.app_label}.{self.model_name.lower()}.{self.field_name}:null_invalid"

    def invalid_condition(self, model, connection) -> str:
        column = connection.ops.quote_name(model._meta.get_field(self.field_name).column)
        return f"{column} IS NOT NULL AND NOT ({self.valid})"

    def invalid_rows(self, model, connection) -> tuple[int, list[tuple[Any, Any]]]:
        """How many rows would not convert, and the first ``sample`` as ``(pk, value)``."""
        quote = connection.ops.quote_name
        field = model._meta.get_field(self.field_name)
        table, pk, column = quote(model._meta.db_table), quote(model._meta.pk.column), field.column
        condition = self.invalid_condition(model, connection)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE {condition}")
            count = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT {pk}, {quote(column)} FROM {table} WHERE {condition} ORDER BY {pk}"
                " LIMIT %s",
                [self.sample],
            )
            return count, cursor.fetchall()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        connection = schema_editor.connection
        model = from_state.apps.get_model(app_label, self.model_name)
        if not router.allow_migrate_model(connection.alias, model):
            return
        table = model._meta.db_table.replace('"', "")  # a schema-qualified name reads a.b
        what = f"{table}.{model._meta.get_field(self.field_name).column}"
        _require_autocommit(schema_editor, f"the conversion guard of {what}")
        policy = self.policy()
        count, sample = self.invalid_rows(model, connection)
        if not count:
            return
        if policy == "refuse":
            shown = ", ".join(f"{pk}={value!r}" for pk, value in sample)
            more = f" and {count - len(sample)} more" if count > len(sample) else ""
            raise BackfillError(
                f"{count} rows of {what} would not convert: {shown}{more}; fix them, or migrate"
                f" with {ON_INVALID_ENV}=null to set them to NULL"
            )
        backfill = Backfill(
            self.checkpoint_name(model),
            model,
            pending=self.invalid_condition(model, connection),
            update={self.field_name: None},
            app_label=app_label,
            using=connection.alias,
            batch_size=self.batch_size,
            lock_timeout=self.lock_timeout,
        )
        checkpoint = backfill.checkpoint()
        if checkpoint and checkpoint.finished_at:
            forget(backfill.name, connection.alias)  # new invalid rows since: walk again
        with terminal_progress(backfill.name) as progress:
            backfill.run(progress=progress)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        forget(self.checkpoint_name(model), schema_editor.connection.alias)

    def describe(self):
        return f"Check that {self.model_name}.{self.field_name} converts ({self.on_invalid} others)"

    @property
    def migration_name_fragment(self):
        return f"guard_{self.model_name.lower()}_{self.field_name.lower()}"
