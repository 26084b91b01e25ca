"""What the schema apps' migrations build, read once from a shadow database.

Adoption compares the live database with the *whole* history of the schema
apps (nothing of it is recorded yet), built by the drift machinery
(``americano.ops.drift.build_history``) in a shadow database on a server of
the live server's major version (``americano.ops.shadow``). The catalog read
from it is a value: one build serves any number of comparisons (the tests
compare many drifted copies with one).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from americano.core import progress
from americano.db.history import MigrationKey, history
from americano.ops.catalog import Catalog, Difference, diff_catalogs, read_catalog
from americano.ops.drift import build_history
from americano.ops.shadow import ShadowServerError, major_version, shadow_database


@dataclass(frozen=True)
class HistoryCatalog:
    """The catalog the schema apps' migrations build, and where it was built."""

    catalog: Catalog
    #: The schema apps' migrations, in the order ``migrate`` applies them.
    migrations: tuple[MigrationKey, ...]
    #: The shadow server (no password) and its PostgreSQL major version.
    server: str
    major: int


def schema_migrations(loader: MigrationLoader, schema_apps: Iterable[str]) -> list[MigrationKey]:
    """Every migration of ``schema_apps`` in the loader's graph, in history order."""
    apps = set(schema_apps)
    return [(app, migration.name) for app, migration in history(loader.graph) if app in apps]


def build_history_catalog(
    live: BaseDatabaseWrapper, schema_apps: Iterable[str], shadow_url: str | None = None
) -> HistoryCatalog:
    """Build the schema apps' whole history in a shadow database of ``live``'s major version
    and read its catalog; the shadow is dropped."""
    keys = schema_migrations(MigrationLoader(None, ignore_no_migrations=True), schema_apps)
    progress.report("shadow database", 0, 1, "building the history")
    with shadow_database(live, shadow_url) as shadow:
        build_history(shadow.connection, set(keys))
        with shadow.connection.cursor() as cursor:
            catalog = read_catalog(cursor)
    progress.report("shadow database", 1, 1, "built")
    return HistoryCatalog(catalog, tuple(keys), shadow.server, shadow.major)


def compare(live: BaseDatabaseWrapper, built: HistoryCatalog) -> tuple[Catalog, list[Difference]]:
    """The live catalog, and every difference of it from ``built``. A catalog built on a server
    of another major version is refused: its text would differ where the schemas do not."""
    live_major = major_version(live)
    if built.major != live_major:
        raise ShadowServerError(
            f"the history was built on PostgreSQL {built.major} and the live server is "
            f"PostgreSQL {live_major}: build it on a PostgreSQL {live_major} server"
        )
    with live.cursor() as cursor:
        actual = read_catalog(cursor)
    return actual, diff_catalogs(built.catalog, actual)
