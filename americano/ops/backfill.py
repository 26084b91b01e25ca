"""Backfills outside ``migrate``: find one by name, run or resume it, report them all.

A backfill is found by its name among the ``RunBackfill`` operations of the
migration files (``americano.db.backfill.find_backfills``; names are unique). Its
rows are changed through the model as it is at the end of its migration, as
``RunPython`` would see it. Where each backfill got to is its checkpoint row
(``BackfillRun``). Every function takes the connection it works on; a replica whose
lag throttles a run is given by URL and opened (and closed) here.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from americano.core.reports import iso
from americano.db.backfill import (
    Backfill,
    Definition,
    Result,
    find_backfill,
    find_backfills,
)
from americano.db.backfill.checkpoints import missing_tables, read_checkpoints, running_pid
from americano.db.backfill.errors import BadBackfill, NoCheckpointTable, NotApplied
from americano.db.backfill.runner import StopRequest
from americano.db.backfill.throttle import is_replica
from americano.models import BackfillRun
from americano.ops.databases import connection_for_url, describe

#: The statuses that mean work remains; the others are "finished" and "not-applied".
OUTSTANDING = frozenset({"pending", "running", "unfinished", "failed"})
#: What a status shows of a checkpoint row.
CHECKPOINT_FIELDS = (
    "table",
    "last_key",
    "rows_done",
    "rows_scanned",
    "batches",
    "started_at",
    "updated_at",
    "finished_at",
    "errors",
    "last_error",
)


def _require_checkpoints(connection: BaseDatabaseWrapper) -> None:
    missing = missing_tables(connection)
    if missing:
        raise NoCheckpointTable(f"table {missing[0]} does not exist: run `manage.py migrate` first")


@dataclass(frozen=True)
class BackfillStatus:
    """One backfill as ``backfill --status`` shows it; ``ok`` unless work remains."""

    name: str
    app: str | None
    migration: str | None
    applied: bool | None
    deferred: bool
    table: str | None
    status: str
    rows_done: int = 0
    rows_scanned: int = 0
    batches: int = 0
    last_key: str | None = None
    started_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None
    errors: int = 0
    last_error: str = ""

    @property
    def ok(self) -> bool:
        return self.status not in OUTSTANDING

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("started_at", "updated_at", "finished_at"):
            data[key] = iso(data[key])
        return data


@dataclass(frozen=True)
class StatusReport:
    """Every backfill's status: ``ok`` when none is pending, running, unfinished or failed."""

    backfills: list[BackfillStatus]

    @property
    def outstanding(self) -> list[str]:
        return [status.name for status in self.backfills if not status.ok]

    @property
    def ok(self) -> bool:
        return not self.outstanding

    def as_dict(self) -> dict[str, Any]:
        return {"backfills": [status.as_dict() for status in self.backfills]}


def _status(checkpoint: BackfillRun | None, applied: bool, deferred: bool, running: bool) -> str:
    if running:
        return "running"
    if checkpoint is None:
        # A backfill that migrate ran to the end leaves a finished row; none means the
        # migration is not applied, or the row was deleted (a non-deferred backfill
        # then finished before its migration was recorded).
        if not applied:
            return "not-applied"
        return "pending" if deferred else "finished"
    if checkpoint.finished_at:
        return "finished"
    if checkpoint.last_error:
        return "failed"
    if checkpoint.started_at is None:
        return "pending"
    return "unfinished"


def _checkpoint_fields(checkpoint: BackfillRun | None) -> dict[str, Any]:
    if checkpoint is None:
        return {"table": None}
    return {field: getattr(checkpoint, field) for field in CHECKPOINT_FIELDS}


def backfill_status(connection: BaseDatabaseWrapper) -> list[BackfillStatus]:
    """Every backfill of the migrations, then every other checkpoint row (reverses, guards)."""
    _require_checkpoints(connection)
    definitions = find_backfills()
    checkpoints = read_checkpoints(connection)
    applied = MigrationRecorder(connection).applied_migrations()
    statuses = []
    for name, definition in sorted(definitions.items()):
        checkpoint = checkpoints.pop(name, None)
        is_applied = (definition.app_label, definition.migration) in applied
        deferred = definition.operation.deferred
        running = running_pid(name, connection) is not None
        statuses.append(
            BackfillStatus(
                name=name,
                app=definition.app_label,
                migration=definition.migration,
                applied=is_applied,
                deferred=deferred,
                status=_status(checkpoint, is_applied, deferred, running),
                **_checkpoint_fields(checkpoint),
            )
        )
    for name, checkpoint in checkpoints.items():
        running = running_pid(name, connection) is not None
        statuses.append(
            BackfillStatus(
                name=name,
                app=checkpoint.app_label,
                migration=None,
                applied=None,
                deferred=False,
                status=_status(checkpoint, True, False, running),
                **_checkpoint_fields(checkpoint),
            )
        )
    return statuses


def open_backfill(
    name: str, connection: BaseDatabaseWrapper, **options
) -> tuple[Definition, Backfill]:
    """The ``Backfill`` of the ``RunBackfill`` called ``name``, on its migration's model.

    ``options`` (``batch_size``, ``sleep``, ``workers``, ``max_lag``, ``max_lock_waits``,
    ``replica``) override the migration's values and the settings when not None.
    Refuses a backfill whose migration is neither applied nor started by ``migrate``:
    its columns may not exist yet.
    """
    _require_checkpoints(connection)
    definition = find_backfill(name)
    key = (definition.app_label, definition.migration)
    loader = MigrationLoader(connection)
    if key not in loader.applied_migrations and name not in read_checkpoints(connection):
        raise NotApplied(
            f"backfill {name} belongs to {key[0]}.{key[1]}, which is not applied:"
            " run `manage.py migrate` first"
        )
    state = loader.project_state(key, at_end=True)
    model = definition.operation.state_model(definition.app_label, state)
    backfill = definition.operation.backfill(model, definition.app_label, connection, **options)
    return definition, backfill


@contextlib.contextmanager
def replica_connection(url: str | None) -> Iterator[BaseDatabaseWrapper | None]:
    """A connection to the replica at ``url`` (None: none), refused unless it is a replica."""
    if url is None:
        yield None
        return
    replica = connection_for_url(url, what="--replica-url")
    try:
        if not is_replica(replica):
            raise BadBackfill(
                f"--replica-url {describe(replica)} is not a replica"
                " (pg_is_in_recovery() is false): give a standby's URL"
            )
        yield replica
    finally:
        replica.close()


def run_backfill(
    name: str,
    connection: BaseDatabaseWrapper,
    *,
    max_rows: int | None = None,
    stop: StopRequest | None = None,
    replica_url: str | None = None,
    **options: Any,
) -> Result:
    """Run or resume backfill ``name`` until it finishes, ``max_rows`` rows changed or
    ``stop`` asks to stop (between batches: see ``Backfill.run``). ``options``: those of
    ``open_backfill``; with ``replica_url`` the replica's lag throttles the run."""
    with replica_connection(replica_url) as replica:
        definition, backfill = open_backfill(name, connection, replica=replica, **options)
        if definition.operation.does_nothing:
            return Result(name, finished=True)
        return backfill.run(max_rows=max_rows, stop=stop)


@dataclass(frozen=True)
class Plan:
    """What ``backfill NAME --dry-run`` reports: what a run would do, with nothing changed."""

    name: str
    app: str
    migration: str
    table: str
    status: str
    pending_rows: int
    table_rows_estimate: int | None
    batch_size: int
    sleep: float
    lock_timeout: str
    last_key: str | None
    workers: int
    throttle: dict[str, Any]

    ok = True

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def plan_backfill(
    name: str, connection: BaseDatabaseWrapper, *, replica_url: str | None = None, **options: Any
) -> Plan:
    """Count the rows a run would update (a full count of the pending rows left);
    ``options``: those of ``open_backfill``; a ``replica_url`` is checked to be a replica."""
    with replica_connection(replica_url) as replica:
        return _plan(name, connection, *open_backfill(name, connection, replica=replica, **options))


def _plan(
    name: str, connection: BaseDatabaseWrapper, definition: Definition, backfill: Backfill
) -> Plan:
    checkpoint = backfill.checkpoint()
    key = (definition.app_label, definition.migration)
    applied = key in MigrationRecorder(connection).applied_migrations()
    running = running_pid(name, connection) is not None
    return Plan(
        name=name,
        app=definition.app_label,
        migration=definition.migration,
        table=backfill.table,
        status=_status(checkpoint, applied, definition.operation.deferred, running),
        pending_rows=0 if definition.operation.does_nothing else backfill.pending_rows(),
        table_rows_estimate=backfill.estimate_rows(),
        batch_size=backfill.batch_size,
        sleep=backfill.sleep,
        lock_timeout=backfill.lock_timeout,
        last_key=checkpoint.last_key if checkpoint else None,
        workers=backfill.workers,
        throttle=backfill.new_throttle().as_dict(),
    )
