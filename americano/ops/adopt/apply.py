"""``--apply``: Django takes the database over, in one transaction, or nothing changes.

The schema apps' migrations are recorded as applied (their SQL is not run: the
comparison showed the database is what they build), with their checksums
(source ``adopted``); the migrations of every other app (Django's own: auth,
admin, contenttypes, sessions; the project's bookkeeping) are run, since a
Prisma database has none of their tables; ``post_migrate`` then fills the
content types and permissions as ``migrate`` would; one audit row names the
Prisma migrations the history now stands in for. ``_prisma_migrations`` is not
touched.

The transaction holds Prisma Migrate's own advisory lock, so that no ``prisma
migrate deploy`` (and no second adoption) runs meanwhile, and checks again, under
it, what the comparison found: nobody recorded Django migrations, no Prisma
migration failed, no difference appeared.
"""

from collections.abc import Iterable

from django.core.management.sql import emit_post_migrate_signal
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from americano.core import progress
from americano.core.errors import FindingError, RefusedError
from americano.core.reports import iso
from americano.db.history import MigrationKey
from americano.ops.adopt.history import HistoryCatalog, compare
from americano.ops.adopt.prisma import read_prisma_migrations, replaced_migrations
from americano.ops.adopt.report import Adoption
from americano.ops.checksums import migration_checksum
from americano.ops.ledger import (
    SOURCE_ADOPTED,
    SOURCE_MIGRATE,
    read_audit,
    write_audit,
    write_checksums,
)

#: The advisory lock ``prisma migrate`` takes (``pg_advisory_lock(72707369)``).
PRISMA_MIGRATE_LOCK = 72707369
#: The action of the audit row an adoption writes.
ADOPT_ACTION = "adopt-prisma"


class AdoptionRefused(RefusedError):
    """Adoption refused before anything changed."""


class ChangedMeanwhile(FindingError):
    """The database changed between the comparison and the adoption: nothing was changed."""


def refuse_if_owned(connection: BaseDatabaseWrapper) -> None:
    """Refuse a database where Django migrations are already recorded (adopted before, or
    built by ``migrate``): adoption is for a database Prisma built, once."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return
    recorded = recorder.applied_migrations()
    if not recorded:
        return
    adoptions = [entry for entry in read_audit(connection) if entry.action == ADOPT_ACTION]
    when = f", adopted by adopt_prisma at {iso(adoptions[-1].at)}" if adoptions else ""
    raise AdoptionRefused(
        f"refusing to adopt: django_migrations already records {len(recorded)} migrations"
        f"{when}: Django owns this database (check it with migrate_status --drift)"
    )


def _take_prisma_lock(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [PRISMA_MIGRATE_LOCK])
        if not cursor.fetchone()[0]:
            raise AdoptionRefused(
                "refusing to adopt: a prisma migrate (or another adoption) holds Prisma's "
                f"migration lock ({PRISMA_MIGRATE_LOCK}); let it finish, then run again"
            )


def _check_again(connection: BaseDatabaseWrapper, built: HistoryCatalog) -> list[str]:
    """Under the lock: what the comparison found still holds. The Prisma migrations the
    adoption replaces."""
    refuse_if_owned(connection)
    rows = read_prisma_migrations(connection)
    blocking = [row for row in rows if row.blocking]
    _, differences = compare(connection, built)
    if blocking or differences:
        first = blocking[0].line if blocking else differences[0].line
        raise ChangedMeanwhile(
            f"the database changed after it was compared ({first}): nothing was adopted; "
            "run adopt_prisma again"
        )
    return replaced_migrations(rows)


def _record(connection: BaseDatabaseWrapper, keys: Iterable[MigrationKey]) -> list[MigrationKey]:
    """Record the schema apps' migrations as applied, with their checksums."""
    executor = MigrationExecutor(connection)
    recorder = executor.recorder
    checksums = {}
    for key in keys:
        migration = executor.loader.graph.nodes[key]
        for replaced in migration.replaces or [key]:
            recorder.record_applied(*replaced)
        checksums[key] = migration_checksum(migration)
    write_checksums(connection, checksums, SOURCE_ADOPTED)
    return list(checksums)


def _run_the_others(connection: BaseDatabaseWrapper, schema_apps: Iterable[str]):
    """Run every migration not yet recorded (none of the schema apps': they are recorded)."""
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets)
    stray = [migration for migration, _ in plan if migration.app_label in set(schema_apps)]
    if stray:
        raise AdoptionRefused(
            f"refusing to adopt: {stray[0].app_label}.{stray[0].name} of a schema app is "
            "not in the compared history"
        )
    state = executor.migrate(targets, plan=plan)
    ran = {(m.app_label, m.name): migration_checksum(m) for m, _ in plan}
    write_checksums(connection, ran, SOURCE_MIGRATE)
    return list(ran), state, plan


def carry_out(
    connection: BaseDatabaseWrapper,
    built: HistoryCatalog,
    schema_apps: Iterable[str],
    *,
    actor: str | None,
    reason: str | None,
) -> Adoption:
    """Adopt the database (see the module), in one transaction. ``connection`` must stand in
    as the default connection (``drift.standing_in_as_default``)."""
    progress.report("adoption", 0, 3, "checking again under the lock")
    with transaction.atomic(using=connection.alias):
        _take_prisma_lock(connection)
        replaced = _check_again(connection, built)
        progress.report("adoption", 1, 3, "recording the history")
        recorded = _record(connection, built.migrations)
        progress.report("adoption", 2, 3, "running Django's own migrations")
        ran, state, plan = _run_the_others(connection, schema_apps)
        what = (
            f"replaces {len(replaced)} Prisma migration{'s' if len(replaced) != 1 else ''}: "
            + ", ".join(replaced)
            if replaced
            else "no Prisma migration was applied"
        )
        audit = write_audit(
            connection,
            ADOPT_ACTION,
            ("prisma", replaced[-1] if replaced else "_prisma_migrations"),
            actor=actor,
            reason=f"{reason.strip()}; {what}" if reason and reason.strip() else what,
        )
        emit_post_migrate_signal(0, False, connection.alias, apps=state.apps, plan=plan)
    progress.report("adoption", 3, 3, "adopted")
    return Adoption(tuple(recorded), tuple(ran), tuple(replaced), audit)
