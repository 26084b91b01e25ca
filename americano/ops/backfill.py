"""Backfills outside ``migrate``: find one by name, run or resume it, report them all.

A backfill is found by its name among the ``RunBackfill`` operations of the
migration files (``americano.db.backfill.find_backfills``; names are unique). Its
rows are changed through the model as it is at the end of its migration, as
``RunPython`` would see it. Where each backfill got to is its row in
``americano_backfill``. ``new_backfill_migration`` writes the skeleton of a
migration that runs one.
"""

from __future__ import annotations

import datetime
import importlib
import re
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from americano.db.backfill import (
    CHECKPOINT_MIGRATION,
    CHECKPOINT_TABLE,
    Backfill,
    BackfillError,
    Checkpoint,
    Definition,
    ProgressCallback,
    Result,
    RunBackfill,
    checkpoint_table_exists,
    find_backfill,
    find_backfills,
    read_checkpoints,
    running_pid,
)

#: The statuses that mean work remains; the others are "finished" and "not-applied".
OUTSTANDING = frozenset({"pending", "running", "unfinished", "failed"})


def _require_checkpoints(using: str) -> None:
    if not checkpoint_table_exists(using):
        raise BackfillError(
            f"table {CHECKPOINT_TABLE} does not exist: run `manage.py migrate` first",
            returncode=2,
        )


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, datetime.datetime) else None


@dataclass(frozen=True)
class BackfillStatus:
    """One backfill as ``backfill --status`` shows it; ``as_json`` gives the stable keys."""

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

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("started_at", "updated_at", "finished_at"):
            data[key] = _iso(data[key])
        return data


def _status(checkpoint: Checkpoint | None, applied: bool, deferred: bool, running: bool) -> str:
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


def backfill_status(using: str = "default") -> list[BackfillStatus]:
    """Every backfill of the migrations, then every other checkpoint row (reverses, guards)."""
    _require_checkpoints(using)
    definitions = find_backfills()
    checkpoints = read_checkpoints(using)
    applied = MigrationRecorder(connections[using]).applied_migrations()
    statuses = []
    for name, definition in sorted(definitions.items()):
        checkpoint = checkpoints.pop(name, None)
        is_applied = (definition.app_label, definition.migration) in applied
        deferred = definition.operation.deferred
        running = running_pid(name, using) is not None
        fields = _checkpoint_fields(checkpoint)
        fields.setdefault("table", None)
        statuses.append(
            BackfillStatus(
                name=name,
                app=definition.app_label,
                migration=definition.migration,
                applied=is_applied,
                deferred=deferred,
                status=_status(checkpoint, is_applied, deferred, running),
                **fields,
            )
        )
    for name, checkpoint in checkpoints.items():
        running = running_pid(name, using) is not None
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


def _checkpoint_fields(checkpoint: Checkpoint | None) -> dict[str, Any]:
    if checkpoint is None:
        return {}
    fields = asdict(checkpoint)
    del fields["name"], fields["app_label"]
    return fields


def open_backfill(name: str, using: str = "default", **options) -> tuple[Definition, Backfill]:
    """The ``Backfill`` of the ``RunBackfill`` called ``name``, on its migration's model.

    ``options`` (``batch_size``, ``sleep``) override the migration's values when not None.
    Refuses a backfill whose migration is neither applied nor started by ``migrate``:
    its columns may not exist yet.
    """
    _require_checkpoints(using)
    definition = find_backfill(name)
    key = (definition.app_label, definition.migration)
    loader = MigrationLoader(connections[using])
    if key not in loader.applied_migrations and name not in read_checkpoints(using):
        raise BackfillError(
            f"backfill {name} belongs to {key[0]}.{key[1]}, which is not applied:"
            " run `manage.py migrate` first",
            returncode=2,
        )
    state = loader.project_state(key, at_end=True)
    model = definition.operation._model(definition.app_label, state)
    backfill = definition.operation.backfill(model, definition.app_label, using, **options)
    return definition, backfill


def run_backfill(
    name: str,
    using: str = "default",
    *,
    batch_size: int | None = None,
    sleep: float | None = None,
    max_rows: int | None = None,
    progress: ProgressCallback | None = None,
) -> Result:
    """Run or resume backfill ``name`` until it finishes or ``max_rows`` rows changed."""
    definition, backfill = open_backfill(name, using, batch_size=batch_size, sleep=sleep)
    if definition.operation.update is RunBackfill.noop:
        return Result(name, finished=True)
    return backfill.run(max_rows=max_rows, progress=progress)


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

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def plan_backfill(
    name: str, using: str = "default", *, batch_size: int | None = None, sleep: float | None = None
) -> Plan:
    """Count the rows a run would update (a full count of the pending rows left)."""
    definition, backfill = open_backfill(name, using, batch_size=batch_size, sleep=sleep)
    checkpoint = backfill.checkpoint()
    applied = (definition.app_label, definition.migration) in MigrationRecorder(
        connections[using]
    ).applied_migrations()
    running = running_pid(name, using) is not None
    noop = definition.operation.update is RunBackfill.noop
    return Plan(
        name=name,
        app=definition.app_label,
        migration=definition.migration,
        table=backfill.table,
        status=_status(checkpoint, applied, definition.operation.deferred, running),
        pending_rows=0 if noop else backfill.pending_rows(),
        table_rows_estimate=backfill.estimate_rows(),
        batch_size=backfill.batch_size,
        sleep=backfill.sleep,
        lock_timeout=backfill.lock_timeout,
        last_key=checkpoint.last_key if checkpoint else None,
    )


def slug(text: str, length: int = 40) -> str:
    """``text`` as a migration or backfill name part: lower case, digits and underscores."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:length].rstrip("_")


MIGRATION_TEMPLATE = '''"""{description}: a batched backfill.

Written by `manage.py makebackfill`. Fill in the TODOs, then run `manage.py migrate`.
With deferred=True, migrate only registers the backfill: run it after the deploy with
`manage.py backfill {name}`, and finish it in a later migration with
FinishBackfill("{name}"). See docs/backfills.md.
"""

from django.db import migrations
from django.db.models import F, Q

from americano.db.backfill import RunBackfill


class Migration(migrations.Migration):
    # Each batch commits on its own: a backfill cannot run inside one transaction.
    atomic = False

    dependencies = [
        {dependencies}
    ]

    operations = [
        RunBackfill(
            # Unique in the project: `manage.py backfill` runs, resumes or reports it by name.
            name="{name}",
            # The model whose rows change (its name in lower case, as in AddField).
            model_name="{model_name}",{fields}
            # TODO: the rows not yet done, as a Q or an SQL condition. Only these are
            # touched, so a killed run resumes cleanly and a second run changes nothing.
            pending=Q(TODO__isnull=True),
            # TODO: the change: {{field: value or expression}}, an SQL SET clause
            # ('"column" = ...'), or a function(queryset) returning how many rows it changed.
            update={{"TODO": F("TODO")}},
            # TODO: how to undo it: an update like the one above (with reverse_pending),
            # RunBackfill.noop when reversing needs no data change, or no reverse at all
            # to make the migration irreversible.
            reverse=RunBackfill.noop,
            batch_size=5_000,  # rows per batch, each batch one short transaction
            sleep=0.0,  # seconds between batches, to leave the server room for other work
            lock_timeout="5s",  # a batch that waits longer for a lock gives up and is retried
            deferred={deferred},
        ),
    ]
'''


def new_backfill_migration(
    app_label: str, description: str, *, model_name: str | None = None, deferred: bool = False
) -> tuple[Path, str]:
    """The path and text of a new migration of ``app_label`` that runs a backfill."""
    description = description.strip()
    name_part = slug(description)
    if not name_part:
        raise BackfillError("the description needs at least one letter or digit", returncode=2)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    if app_label not in loader.migrated_apps:
        raise BackfillError(f"app {app_label!r} has no migrations package", returncode=2)
    leaves = loader.graph.leaf_nodes(app_label)
    if len(leaves) > 1:
        raise BackfillError(
            f"app {app_label} has conflicting migrations ({', '.join(n for _, n in leaves)}):"
            " run `manage.py makemigrations --merge` first",
            returncode=2,
        )
    name = f"{app_label}.{name_part}"
    if name in find_backfills(loader):
        raise BackfillError(f"a backfill named {name} already exists", returncode=2)
    fields = ""
    if model_name:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError as error:
            raise BackfillError(str(error), returncode=2) from error
        model_name = model._meta.model_name
        columns = ", ".join(f"{f.name} ({f.column})" for f in model._meta.concrete_fields)
        lines = textwrap.wrap(f"Its fields (columns): {columns}.", 80)
        fields = "".join(f"\n            # {line}" for line in lines)
    number = MigrationAutodetector.parse_number(leaves[0][1]) + 1 if leaves else 1
    dependencies = [CHECKPOINT_MIGRATION, *leaves]
    text = MIGRATION_TEMPLATE.format(
        description=description[:1].upper() + description[1:].rstrip(". "),
        name=name,
        model_name=model_name or "TODO",
        fields=fields,
        deferred=deferred,
        dependencies="\n        ".join(f'("{app}", "{node}"),' for app, node in dependencies),
    )
    module_name, _ = loader.migrations_module(app_label)
    folder = Path(importlib.import_module(module_name).__file__).parent
    return folder / f"{number:04d}_backfill_{name_part}.py", text


def write_backfill_migration(
    app_label: str, description: str, *, model_name: str | None = None, deferred: bool = False
) -> Path:
    """Write the migration ``new_backfill_migration`` describes; never overwrite one."""
    path, text = new_backfill_migration(
        app_label, description, model_name=model_name, deferred=deferred
    )
    if path.exists():
        raise BackfillError(f"{path} already exists", returncode=2)
    path.write_text(text)
    return path
