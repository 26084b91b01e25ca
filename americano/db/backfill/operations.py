"""``RunBackfill``: the migration operation that runs (or registers) a batched backfill."""

from __future__ import annotations

import re

from django.db import models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.operations.base import Operation

from americano.core.errors import one_line
from americano.db.backfill.checkpoints import forget
from americano.db.backfill.errors import AtomicMigration, BadBackfill
from americano.db.backfill.limits import (
    BATCH_SIZE,
    checked_batch_size,
    checked_sleep,
    checked_workers,
)
from americano.db.backfill.runner import LOCK_TIMEOUT, Backfill

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


def _noop(queryset) -> int:
    """Change nothing: the update or reverse of a backfill that has nothing to do that way."""
    return 0


def changed_options(operation: Operation, defaults: dict) -> dict:
    """The options of ``operation`` that differ from their defaults: what ``deconstruct`` keeps,
    so that a migration file names only what its author chose."""
    return {
        key: getattr(operation, key)
        for key, default in defaults.items()
        if getattr(operation, key) != default
    }


def require_autocommit(schema_editor, what: str) -> None:
    """Refuse to run batches that commit inside a migration that is one transaction."""
    if schema_editor.atomic_migration:
        raise AtomicMigration(
            f"{what} commits each batch on its own: its migration must say `atomic = False`"
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
        workers: int = 1,
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
        self.batch_size = checked_batch_size(batch_size, f"backfill {name}: batch_size")
        self.sleep = checked_sleep(sleep, f"backfill {name}: sleep")
        self.lock_timeout = lock_timeout
        self.deferred = deferred
        self.workers = checked_workers(workers, f"backfill {name}: workers")

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
            "workers": 1,
        }
        return self.__class__.__qualname__, [], {**kwargs, **changed_options(self, defaults)}

    @property
    def reversible(self) -> bool:
        return self.reverse is not None

    @property
    def reverse_name(self) -> str:
        return f"{self.name}:reverse"

    @property
    def does_nothing(self) -> bool:
        """Whether the forward direction changes no data (``update=RunBackfill.noop``)."""
        return self.update is _noop

    def state_forwards(self, app_label, state):
        pass

    def references_model(self, name, app_label):
        return name.lower() == self.model_name.lower()

    def backfill(
        self,
        model: type[models.Model],
        app_label: str,
        connection: BaseDatabaseWrapper,
        *,
        reverse: bool = False,
        **options,
    ) -> Backfill:
        """The ``Backfill`` of this operation (or of its reverse) on ``model``.

        ``options`` (``batch_size``, ``sleep``, ``workers``, the throttle's) override the
        operation's when not None.
        """
        settings = {
            "batch_size": self.batch_size,
            "sleep": self.sleep,
            "lock_timeout": self.lock_timeout,
            "workers": self.workers,
        }
        settings.update({key: value for key, value in options.items() if value is not None})
        return Backfill(
            self.reverse_name if reverse else self.name,
            model,
            connection=connection,
            pending=self.reverse_pending if reverse else self.pending,
            update=self.reverse if reverse else self.update,
            app_label=app_label,
            **settings,
        )

    def state_model(self, app_label: str, state) -> type[models.Model]:
        """The operation's model in migration ``state``."""
        try:
            return state.apps.get_model(app_label, self.model_name)
        except LookupError as error:
            raise BadBackfill(f"backfill {self.name}: {one_line(error)}") from error

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = self.state_model(app_label, to_state)
        connection = schema_editor.connection
        if self.does_nothing or not router.allow_migrate_model(connection.alias, model):
            return
        require_autocommit(schema_editor, f"backfill {self.name}")
        backfill = self.backfill(model, app_label, connection)
        if self.deferred:
            backfill.register()
        else:
            backfill.run()

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = self.state_model(app_label, from_state)
        connection = schema_editor.connection
        if not router.allow_migrate_model(connection.alias, model):
            return
        if self.reverse is not _noop:
            require_autocommit(schema_editor, f"backfill {self.name}")
            self.backfill(model, app_label, connection, reverse=True).run()
            forget(self.reverse_name, connection)
        # Applied again, the backfill must start over.
        forget(self.name, connection)

    def describe(self):
        mode = "Register" if self.deferred else "Run"
        return f"{mode} batched backfill {self.name} of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return "backfill_" + re.sub(r"\W+", "_", self.name.lower()).strip("_")
