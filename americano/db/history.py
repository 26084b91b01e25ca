"""The migration history as ``migrate`` runs it: every migration in order, and what is pending.

Status, lint, drift, backups and the autodetector all need the same two answers;
this module gives them once.
"""

from collections.abc import Iterable

from django.db.migrations import Migration
from django.db.migrations.graph import MigrationGraph
from django.db.migrations.loader import MigrationLoader

MigrationKey = tuple[str, str]


def history(graph: MigrationGraph) -> list[tuple[str, Migration]]:
    """Every ``(app_label, migration)`` of ``graph``, each after its dependencies."""
    ordered = {}
    for leaf in sorted(graph.leaf_nodes()):
        for key in graph.forwards_plan(leaf):
            ordered.setdefault(key, graph.nodes[key])
    return [(app_label, migration) for (app_label, _), migration in ordered.items()]


def with_replacements(
    loader: MigrationLoader, applied: Iterable[MigrationKey]
) -> set[MigrationKey]:
    """``applied`` plus every squashed migration whose replaced migrations are all applied
    (what ``MigrationLoader`` does for the database it reads, for any list of names)."""
    done = set(applied)
    for key, migration in loader.replacements.items():
        if all(target in done for target in migration.replaces):
            done.add(key)
    return done


def pending_migrations(
    loader: MigrationLoader, applied: Iterable[MigrationKey] | None = None
) -> list[MigrationKey]:
    """The migrations ``migrate`` would apply, in order: to the loader's database, or to a
    database with the ``applied`` migrations (a backup's manifest, say)."""
    done = set(loader.applied_migrations) if applied is None else with_replacements(loader, applied)
    return [
        (app_label, migration.name)
        for app_label, migration in history(loader.graph)
        if (app_label, migration.name) not in done
    ]


def unknown_migrations(
    loader: MigrationLoader, applied: Iterable[MigrationKey] | None = None
) -> list[MigrationKey]:
    """Applied migrations this code has no file for (nor a squashed migration replacing them)."""
    done = set(loader.applied_migrations) if applied is None else set(applied)
    replaced = {old for migration in loader.replacements.values() for old in migration.replaces}
    return sorted(done - set(loader.graph.nodes) - replaced)
