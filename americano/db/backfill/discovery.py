"""Backfills found by name in the migration files, and ``FinishBackfill``, which needs that.

Names are unique across the project: ``manage.py backfill NAME`` and a later
migration's ``FinishBackfill("NAME")`` find the ``RunBackfill`` to run this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import router
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import SeparateDatabaseAndState
from django.db.migrations.operations.base import Operation

from americano.db.backfill.checkpoints import Checkpoint
from americano.db.backfill.errors import AtomicMigration, BadBackfill, UnknownBackfill
from americano.db.backfill.operations import RunBackfill, require_autocommit


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

    Checks that names are unique across the project and that their migrations
    are non-atomic.
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
                raise BadBackfill(
                    f"backfill name {operation.name} is used twice: in {where} and in "
                    f"{other.app_label}.{other.migration}"
                )
            if migration.atomic:
                raise AtomicMigration(
                    f"migration {where} runs backfill {operation.name}: it must say"
                    " `atomic = False`"
                )
            found[operation.name] = Definition(app_label, migration_name, operation)
    return found


def find_backfill(name: str) -> Definition:
    """The ``RunBackfill`` called ``name``; a one-line error lists the known names otherwise."""
    found = find_backfills()
    if name not in found:
        known = ", ".join(sorted(found)) or "none"
        raise UnknownBackfill(f"no backfill named {name!r} (known: {known})")
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
        connection = schema_editor.connection
        checkpoint = Checkpoint(self.name, connection).get()
        if checkpoint and checkpoint.finished_at:
            return
        require_autocommit(schema_editor, f"finishing backfill {self.name}")
        definition = find_backfill(self.name)
        operation = definition.operation
        model = operation.state_model(definition.app_label, to_state)
        if operation.does_nothing or not router.allow_migrate_model(connection.alias, model):
            return
        operation.backfill(model, definition.app_label, connection).run()

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Finish batched backfill {self.name}"

    @property
    def migration_name_fragment(self):
        return "finish_" + re.sub(r"\W+", "_", self.name.lower()).strip("_")
