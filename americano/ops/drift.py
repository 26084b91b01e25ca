"""Drift: where the live database differs from what its migration history builds.

The migrations applied to the live database are run, in a fresh *shadow*
database, by the executor ``migrate`` uses (``americano.db.executor``); the two
catalogs are then compared (``americano.ops.catalog``), and the models are
compared with the history (changes that no migration carries yet).

The shadow is built in this process, with the shadow connection standing in
as the *default* connection while the history runs: a ``RunPython`` that writes
through the default connection instead of ``schema_editor.connection.alias``
then writes to the shadow, never to the live database. Doing it in-process
saves a second Django start and keeps credentials out of child processes. The
shadow is built on a server of the live server's major version
(``americano.ops.shadow``) and is always dropped.
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import MigrationQuestioner
from django.db.migrations.state import ProjectState

from americano.core.errors import SetupError
from americano.db.autodetector import SchemaAutodetector
from americano.db.executor import MigrationExecutor
from americano.db.history import history
from americano.db.preflight import server_problems
from americano.ops.catalog import Difference, diff_catalogs, read_catalog
from americano.ops.shadow import shadow_database


class DriftError(SetupError):
    """The shadow database could not be built; nothing was compared."""


@dataclass
class DriftReport:
    #: Where the shadow database was built (no password).
    shadow: str
    differences: list[Difference]

    @property
    def ok(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict:
        return {
            "shadow": self.shadow,
            "clean": self.ok,
            "differences": [difference.as_dict() for difference in self.differences],
        }


@contextlib.contextmanager
def standing_in_as_default(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Make ``connection`` the default connection for the block, so that migration code that
    writes through the default connection (not ``schema_editor.connection.alias``) writes to
    it: to the shadow while the history runs, never to the live database."""
    previous = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = connection
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = previous


def build_history(shadow: BaseDatabaseWrapper, keys: set[tuple[str, str]]) -> None:
    """Apply migrations ``keys`` (and what they depend on) to the empty ``shadow``."""
    problems = server_problems(shadow)
    if problems:
        raise DriftError(f"shadow server: {'; '.join(problems)}")
    with standing_in_as_default(shadow):
        executor = MigrationExecutor(shadow)
        graph = executor.loader.graph
        wanted = {node for key in keys for node in graph.forwards_plan(key)}
        plan = [
            (migration, False)
            for app_label, migration in history(graph)
            if (app_label, migration.name) in wanted
        ]
        executor.migrate([], plan=plan)


def unmigrated_changes(
    loader: MigrationLoader, models: ProjectState | None = None
) -> list[Difference]:
    """What ``makemigrations`` would write: model changes that no migration carries.

    ``models`` defaults to the installed models.
    """
    autodetector = SchemaAutodetector(
        loader.project_state(),
        models or ProjectState.from_apps(apps),
        MigrationQuestioner(dry_run=True),
    )
    changes = autodetector.changes(graph=loader.graph)
    return [
        Difference(
            "model",
            f"{app_label}.{getattr(operation, 'model_name', None) or migration.name}",
            "unmigrated",
            database=operation.describe(),
        )
        for app_label, migrations in sorted(changes.items())
        for migration in migrations
        for operation in migration.operations
    ]


def detect_drift(live: BaseDatabaseWrapper, shadow_url: str | None = None) -> DriftReport:
    """Compare ``live`` with a shadow built from the migrations applied to it, on the server
    ``americano.ops.shadow`` chooses (``shadow_url`` first)."""
    loader = MigrationLoader(live, ignore_no_migrations=True)
    applied = set(loader.applied_migrations) & set(loader.graph.nodes)
    with shadow_database(live, shadow_url) as shadow:
        build_history(shadow.connection, applied)
        with shadow.connection.cursor() as cursor:
            built = read_catalog(cursor)
    with live.cursor() as cursor:
        actual = read_catalog(cursor)
    return DriftReport(shadow.server, diff_catalogs(built, actual) + unmigrated_changes(loader))
