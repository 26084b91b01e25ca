"""Drift: where the live database differs from what its migration history builds.

The migrations applied to the live database are run, in a fresh *shadow*
database, by Django's ``MigrationExecutor``; the two catalogs are then compared
(``americano.ops.catalog``), and the models are compared with the history
(changes that no migration carries yet).

The shadow is built in this process, with the shadow connection standing in
as the *default* connection while the history runs: a ``RunPython`` that writes
through the default connection instead of ``schema_editor.connection.alias``
then writes to the shadow, never to the live database. Doing it in-process
saves a second Django start and keeps credentials out of child processes. The
shadow lives on the embedded server unless a ``shadow_url`` names another
server, and is always dropped.
"""

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import MigrationQuestioner
from django.db.migrations.state import ProjectState
from django.db.utils import ConnectionHandler, load_backend

from americano.db.autodetector import SchemaAutodetector, history
from americano.db.config import database_settings, redact_url
from americano.db.preflight import server_problems
from americano.ops.catalog import Difference, diff_catalogs, read_catalog

SHADOW_PREFIX = "americano_shadow_"


class DriftError(Exception):
    """The shadow database could not be built; nothing was compared."""


@dataclass
class DriftReport:
    #: Where the shadow database was built (no password).
    shadow: str
    differences: list[Difference]

    @property
    def clean(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict:
        return {
            "shadow": self.shadow,
            "clean": self.clean,
            "differences": [difference.as_dict() for difference in self.differences],
        }


def shadow_settings(live: BaseDatabaseWrapper, url: str | None = None) -> dict:
    """Settings of a new, uniquely named database on the shadow server."""
    pgdata = live.settings_dict.get("EMBEDDED_PGDATA") or Path(settings.BASE_DIR) / ".pgdata"
    shadow = database_settings(url, Path(pgdata))
    shadow = ConnectionHandler().configure_settings({DEFAULT_DB_ALIAS: shadow})[DEFAULT_DB_ALIAS]
    shadow["NAME"] = f"{SHADOW_PREFIX}{uuid.uuid4().hex[:12]}"
    return shadow


@contextlib.contextmanager
def shadow_database(
    live: BaseDatabaseWrapper, url: str | None = None
) -> Iterator[BaseDatabaseWrapper]:
    """A connection to a new empty shadow database, dropped on the way out."""
    shadow_dict = shadow_settings(live, url)
    shadow = load_backend(shadow_dict["ENGINE"]).DatabaseWrapper(shadow_dict, DEFAULT_DB_ALIAS)
    name = shadow.ops.quote_name(shadow_dict["NAME"])
    with shadow._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    try:
        yield shadow
    finally:
        shadow.close()
        with shadow._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def _as_default(shadow: BaseDatabaseWrapper) -> Iterator[None]:
    """Make ``shadow`` the default connection, so that nothing in the history can
    write to the live database through it."""
    live = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = shadow
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = live


def build_history(shadow: BaseDatabaseWrapper, keys: set[tuple[str, str]]) -> None:
    """Apply migrations ``keys`` (and what they depend on) to the empty ``shadow``."""
    problems = server_problems(shadow)
    if problems:
        raise DriftError(f"shadow server: {'; '.join(problems)}")
    with _as_default(shadow):
        executor = MigrationExecutor(shadow)
        graph = executor.loader.graph
        wanted = {node for key in keys for node in graph.forwards_plan(key)}
        plan = [
            (migration, False)
            for app_label, migration in history(graph)
            if (app_label, migration.name) in wanted
        ]
        executor.migrate([], plan=plan)


def describe_server(shadow: BaseDatabaseWrapper, url: str | None) -> str:
    if url:
        return redact_url(url)
    return f"embedded:{shadow.settings_dict['EMBEDDED_PGDATA']}"


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
    """Compare ``live`` with a shadow built from the migrations applied to it."""
    loader = MigrationLoader(live, ignore_no_migrations=True)
    applied = set(loader.applied_migrations) & set(loader.graph.nodes)
    with shadow_database(live, shadow_url) as shadow:
        build_history(shadow, applied)
        with shadow.cursor() as cursor:
            built = read_catalog(cursor)
        where = describe_server(shadow, shadow_url)
    with live.cursor() as cursor:
        actual = read_catalog(cursor)
    return DriftReport(where, diff_catalogs(built, actual) + unmigrated_changes(loader))
