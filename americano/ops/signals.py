"""Records migration checksums after every ``migrate``, whatever it applied or faked.

Importing this module connects the receiver (``AmericanoConfig.ready`` imports
it). After ``migrate``, ``post_migrate`` fires once per app with the same plan:
the first call does the work, the others see the plan already handled.
"""

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate

from americano.ops.checksums import migration_checksum
from americano.ops.ledger import (
    SOURCE_ADOPTED,
    SOURCE_MIGRATE,
    forget_checksums,
    read_checksums,
    write_checksums,
)

_handled_plan: list | None = None


def record_checksums(connection: BaseDatabaseWrapper, plan: list) -> None:
    """Bring the checksum table in line with ``django_migrations`` after ``plan`` ran.

    Migrations applied (or faked) by the plan get their checksum now; applied
    migrations that have none (applied before checksums existed, or by some
    other tool) are adopted as they are now; unapplied ones lose theirs.
    """
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    recorded = read_checksums(connection)
    ran = {}
    for migration, backwards in plan:
        key = (migration.app_label, migration.name)
        if backwards or key not in applied:
            continue
        checksum = migration_checksum(migration)
        if key not in recorded or recorded[key].checksum != checksum:
            ran[key] = checksum
    adopted = {
        key: migration_checksum(loader.graph.nodes[key])
        for key in applied - set(recorded) - set(ran)
        if key in loader.graph.nodes
    }
    with transaction.atomic(using=connection.alias):
        write_checksums(connection, ran, SOURCE_MIGRATE)
        write_checksums(connection, adopted, SOURCE_ADOPTED)
        forget_checksums(connection, set(recorded) - applied)


def _after_migrate(sender, using: str, plan: list | None = None, **kwargs) -> None:
    global _handled_plan
    if plan is None or plan is _handled_plan:  # flush sends no plan; one pass per migrate
        return
    _handled_plan = plan
    record_checksums(connections[using], plan)


post_migrate.connect(_after_migrate, dispatch_uid="americano.ops.signals.record_checksums")
