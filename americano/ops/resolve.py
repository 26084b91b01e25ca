"""``migrate_resolve``: the migrations guide's ``prisma migrate resolve``, with an audit trail.

Each resolution changes ``django_migrations`` (or only the recorded checksum)
without running any SQL of the migration, and appends one audit row: who (the
OS user and the ``--actor`` given), when, what and why.
"""

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations import Migration
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from americano.core.errors import InputError
from americano.ops.checksums import migration_checksum
from americano.ops.ledger import (
    SOURCE_ACCEPTED,
    SOURCE_RESOLVE,
    AuditEntry,
    forget_checksums,
    read_checksums,
    write_audit,
    write_checksums,
)

APPLIED = "applied"
ROLLED_BACK = "rolled-back"
ACCEPT_CHECKSUM = "accept-checksum"
ACTIONS = (APPLIED, ROLLED_BACK, ACCEPT_CHECKSUM)


class ResolveError(InputError):
    """Why a resolution was refused; nothing was changed."""


def _disk_migration(loader: MigrationLoader, app: str, name: str) -> Migration:
    try:
        return loader.get_migration_by_prefix(app, name)
    except AmbiguityError as error:
        raise ResolveError(str(error)) from None
    except KeyError:
        raise ResolveError(f"no migration {app}.{name} on disk") from None


def resolve(
    connection: BaseDatabaseWrapper,
    action: str,
    app: str,
    name: str,
    *,
    actor: str | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Carry out ``action`` on migration ``app.name`` and return its audit row."""
    handlers = {APPLIED: _mark_applied, ROLLED_BACK: _mark_rolled_back, ACCEPT_CHECKSUM: _accept}
    if action not in handlers:
        raise ResolveError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    with transaction.atomic(using=connection.alias):
        key, checksums = handlers[action](connection, loader, app, name, reason)
        return write_audit(connection, action, key, actor=actor, reason=reason, **checksums)


def _mark_applied(connection, loader, app, name, reason):
    migration = _disk_migration(loader, app, name)
    key = (app, migration.name)
    applied = loader.applied_migrations
    if key in applied:
        raise ResolveError(f"{app}.{migration.name} is already applied")
    unapplied = [
        f"{dep[0]}.{dep[1]}"
        for dep in loader.graph.forwards_plan(key)
        if dep != key and dep not in applied
    ]
    if unapplied:
        raise ResolveError(
            f"{app}.{migration.name} depends on migrations that are not applied: "
            + ", ".join(unapplied)
        )
    recorder = MigrationRecorder(connection)
    for replaced in migration.replaces or [key]:
        recorder.record_applied(*replaced)
    checksum = migration_checksum(migration)
    write_checksums(connection, {key: checksum}, SOURCE_RESOLVE)
    return key, {"checksum_after": checksum}


def _mark_rolled_back(connection, loader, app, name, reason):
    # A missing migration has no file: its name must match its record exactly.
    applied = loader.applied_migrations
    key = (app, name)
    if key not in applied:
        key = (app, _disk_migration(loader, app, name).name)
        if key not in applied:
            raise ResolveError(f"{app}.{key[1]} is not applied: nothing to roll back")
    if key in loader.graph.nodes:
        dependents = [
            f"{child[0]}.{child[1]}"
            for child in loader.graph.backwards_plan(key)
            if child != key and child in applied
        ]
        if dependents:
            raise ResolveError(
                f"applied migrations depend on {app}.{key[1]}: {', '.join(dependents)}"
            )
    recorder = MigrationRecorder(connection)
    for replaced in getattr(applied[key], "replaces", None) or [key]:
        recorder.record_unapplied(*replaced)
    before = read_checksums(connection).get(key)
    forget_checksums(connection, {key})
    return key, {"checksum_before": before.checksum if before else None}


def _accept(connection, loader, app, name, reason):
    if not (reason or "").strip():
        raise ResolveError("--accept-checksum needs --reason: say why the edit is safe")
    migration = _disk_migration(loader, app, name)
    key = (app, migration.name)
    if key not in loader.applied_migrations:
        raise ResolveError(f"{app}.{migration.name} is not applied: nothing to accept")
    before = read_checksums(connection).get(key)
    after = migration_checksum(migration)
    write_checksums(connection, {key: after}, SOURCE_ACCEPTED)
    return key, {"checksum_before": before.checksum if before else None, "checksum_after": after}
