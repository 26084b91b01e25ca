"""Applying the pending migrations one at a time, with timeouts, and retrying lock timeouts.

The session that migrates gets a ``lock_timeout``: a statement that cannot have
its lock within it gives up (SQLSTATE 55P03) instead of queueing, and every
query on the table queueing behind it, for as long as the transaction in its way
lasts. Such a migration is tried again after a back-off, but only when that
cannot repeat work: an atomic migration was rolled back whole, a non-atomic one
must have failed before any statement of its own completed (and not in a
``CONCURRENTLY`` statement, which leaves an invalid index behind). Any other
failure stops the deployment at the last good migration.

Each migration is one ``MigrationExecutor.migrate`` call (the project's executor,
``americano.db.executor``, as ``migrate`` uses), and its checksum is recorded as
soon as it is applied, so that a deployment killed at any point leaves a history
that ``migrate_status`` reads correctly.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations import Migration

from americano.core import progress
from americano.core.errors import one_line
from americano.db.executor import MigrationExecutor
from americano.db.history import MigrationKey
from americano.ops.deploy.config import Retries, Timeouts
from americano.ops.signals import record_checksums

#: SQLSTATE of ``lock_timeout``.
LOCK_NOT_AVAILABLE = "55P03"
#: The progress task.
TASK = "applying migrations"
#: Statements that read; anything else a migration runs may have changed something.
_READS = re.compile(r"\s*(SELECT|SHOW)\b", re.IGNORECASE)
_CONCURRENTLY = re.compile(r"\bCONCURRENTLY\b", re.IGNORECASE)
#: How often the server checks, during a long statement, that the deployer is still there:
#: a killed deployer's migration is rolled back within this, its locks released.
CLIENT_CHECK_INTERVAL = "1s"


def apply_session_timeouts(connection: BaseDatabaseWrapper, timeouts: Timeouts) -> None:
    """Give ``connection``'s session the deployment's timeouts (``migrate`` outside development
    too), and have the server end a statement whose client has gone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, false), "
            "set_config('statement_timeout', %s, false), "
            "set_config('client_connection_check_interval', %s, false)",
            [f"{timeouts.lock_ms}ms", f"{timeouts.statement_ms}ms", CLIENT_CHECK_INTERVAL],
        )


@dataclass(frozen=True)
class MigrationRun:
    """A migration this deployment applied."""

    key: MigrationKey
    seconds: float
    retries: int
    atomic: bool

    def as_dict(self) -> dict:
        app, name = self.key
        return {
            "app": app,
            "name": name,
            "seconds": round(self.seconds, 3),
            "retries": self.retries,
            "atomic": self.atomic,
        }


@dataclass(frozen=True)
class MigrationFailure:
    """The migration that failed: the first line of its error, and what it may have left."""

    key: MigrationKey
    error: str
    sqlstate: str | None
    retries: int
    #: A non-atomic migration that failed after some of its statements completed.
    partial: bool

    def as_dict(self) -> dict:
        return {
            "migration": f"{self.key[0]}.{self.key[1]}",
            "error": self.error,
            "sqlstate": self.sqlstate,
            "retries": self.retries,
            "partial": self.partial,
        }


class _Watch:
    """An execute wrapper noting whether a migration changed anything before it failed."""

    def __init__(self) -> None:
        self.changed = False

    def __call__(self, execute: Callable, sql: str, params, many: bool, context: dict):
        try:
            result = execute(sql, params, many, context)
        except Exception:
            if _CONCURRENTLY.search(str(sql)):
                self.changed = True  # a failed CREATE INDEX CONCURRENTLY leaves an INVALID index
            raise
        if not _READS.match(str(sql)):
            self.changed = True
        return result


def _sqlstate(error: BaseException) -> str | None:
    while error is not None:
        state = getattr(error, "sqlstate", None)
        if state:
            return state
        error = error.__cause__
    return None


class Applier:
    """Applies migrations to ``connection`` one by one; ``state`` is the project state after
    the last one applied (None: to be built from the database)."""

    def __init__(self, connection: BaseDatabaseWrapper, retries: Retries) -> None:
        self.connection = connection
        self.retries = retries
        self.executor = MigrationExecutor(connection)
        self.state = None

    def apply(self, key: MigrationKey) -> MigrationRun | MigrationFailure:
        """Apply ``key`` (tried again after lock timeouts where safe); record its checksum."""
        migration: Migration = self.executor.loader.graph.nodes[key]
        started = time.monotonic()
        attempt = 1
        while True:
            watch = _Watch()
            try:
                with self.connection.execute_wrapper(watch):
                    self.state = self.executor.migrate(
                        [], plan=[(migration, False)], state=self.state
                    )
            except Exception as error:
                # The state was advanced in place before the failure: build it again.
                self.state = None
                self.executor.loader.build_graph()
                sqlstate = _sqlstate(error)
                again = sqlstate == LOCK_NOT_AVAILABLE and (migration.atomic or not watch.changed)
                if not again or attempt >= self.retries.tries:
                    partial = not migration.atomic and watch.changed
                    return MigrationFailure(key, one_line(error), sqlstate, attempt - 1, partial)
                attempt += 1
                wait = self.retries.wait_before(attempt)
                progress.report(
                    TASK, 0, None, f"{key[0]}.{key[1]}: lock timeout, try {attempt} in {wait:g} s"
                )
                time.sleep(wait)
                continue
            record_checksums(self.connection, [(migration, False)])
            return MigrationRun(
                key, time.monotonic() - started, attempt - 1, bool(migration.atomic)
            )

    def final_apps(self):
        """The apps of the state after the last migration applied (for ``post_migrate``)."""
        if self.state is None:
            self.executor.loader.build_graph()
            self.state = self.executor.loader.project_state()
        return self.state.apps
