"""What Django knows about every app's migrations, for the admin's Migrations page.

The files on disk (``MigrationLoader``) joined with the ``django_migrations``
table (``MigrationRecorder``): each migration is applied (with its time),
pending (with the SQL ``sqlmigrate`` would print), or recorded as applied
although no file of that name exists any more.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

APPLIED = "applied"
PENDING = "pending"
NO_FILE = "applied, no file"


@dataclass
class MigrationState:
    app_label: str
    name: str
    state: str
    applied_at: datetime | None = None
    replaces: list[str] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)


@dataclass
class AppMigrations:
    app_label: str
    migrations: list[MigrationState]

    @property
    def pending(self) -> int:
        return sum(m.state == PENDING for m in self.migrations)

    @property
    def applied(self) -> int:
        return sum(m.state != PENDING for m in self.migrations)


def migration_states(using: str = "default", *, with_sql: bool = True) -> list[AppMigrations]:
    """Every app's migrations in dependency order, with their state; SQL of the pending ones."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    loader: MigrationLoader = executor.loader
    recorded = loader.applied_migrations or {}
    graph = loader.graph
    order = {key: position for position, key in enumerate(_graph_order(loader))}
    by_app: dict[str, list[MigrationState]] = {}
    for key in sorted(graph.nodes, key=lambda k: order.get(k, len(order))):
        migration = graph.nodes[key]
        record = recorded.get(key)
        state = MigrationState(
            key[0],
            key[1],
            APPLIED if key in recorded else PENDING,
            applied_at=getattr(record, "applied", None),
            replaces=[f"{app}.{name}" for app, name in migration.replaces],
        )
        if state.state == PENDING and with_sql:
            state.sql = loader.collect_sql([(migration, False)])
        by_app.setdefault(key[0], []).append(state)
    for (app_label, name), record in recorded.items():
        if (app_label, name) not in graph.nodes and not _replaced(loader, (app_label, name)):
            by_app.setdefault(app_label, []).append(
                MigrationState(
                    app_label, name, NO_FILE, applied_at=getattr(record, "applied", None)
                )
            )
    return [AppMigrations(label, by_app[label]) for label in sorted(by_app)]


def _graph_order(loader: MigrationLoader) -> list[tuple[str, str]]:
    """All migrations in an order that applies dependencies first."""
    seen: dict[tuple[str, str], None] = {}
    for leaf in loader.graph.leaf_nodes():
        for key in loader.graph.forwards_plan(leaf):
            seen.setdefault(key, None)
    return list(seen)


def _replaced(loader: MigrationLoader, key: tuple[str, str]) -> bool:
    """Whether ``key`` is one of the migrations a squashed migration on disk replaces."""
    return any(key in migration.replaces for migration in loader.disk_migrations.values())
