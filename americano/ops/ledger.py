"""The two bookkeeping tables of the migration life cycle.

``americano_migration_checksum`` holds, per applied migration, the checksum of
what it did when it was applied; ``americano_migration_audit`` holds every
``migrate_resolve`` with who, when and why. Like Django's own
``django_migrations`` (``MigrationRecorder.ensure_schema``), they are created on
first write, not by a migration; reading never creates them, so that
``migrate_status`` works with a read-only role.
"""

import datetime
import getpass
import os
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.core.reports import iso

CHECKSUM_TABLE = "americano_migration_checksum"
AUDIT_TABLE = "americano_migration_audit"
#: Tables the recorders create on demand: no migration builds them.
BOOKKEEPING_TABLES = frozenset({"django_migrations", CHECKSUM_TABLE, AUDIT_TABLE})

#: How a checksum came to be recorded.
SOURCE_MIGRATE = "migrate"  # applied or faked by migrate
SOURCE_ADOPTED = "adopted"  # applied earlier, without a checksum: taken as it is now
SOURCE_RESOLVE = "resolve"  # migrate_resolve --applied
SOURCE_ACCEPTED = "accepted"  # migrate_resolve --accept-checksum

_SCHEMA = (
    f"""CREATE TABLE IF NOT EXISTS {CHECKSUM_TABLE} (
    app text NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    source text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app, name)
)""",
    f"""CREATE TABLE IF NOT EXISTS {AUDIT_TABLE} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    action text NOT NULL,
    app text NOT NULL,
    name text NOT NULL,
    os_user text NOT NULL,
    actor text,
    reason text,
    checksum_before text,
    checksum_after text
)""",
)
# Any constant: serializes concurrent first writers of the tables.
_SCHEMA_LOCK = 0x616D6572


@dataclass(frozen=True)
class ChecksumRecord:
    checksum: str
    source: str
    recorded_at: datetime.datetime


@dataclass(frozen=True)
class AuditEntry:
    """One ``migrate_resolve``, as stored: also the report of the command that wrote it."""

    at: datetime.datetime
    action: str
    app: str
    name: str
    os_user: str
    actor: str | None
    reason: str | None
    checksum_before: str | None
    checksum_after: str | None

    ok = True

    def as_dict(self) -> dict:
        return {**asdict(self), "at": iso(self.at)}


def _exists(connection: BaseDatabaseWrapper, *tables: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bool_and(to_regclass(t) IS NOT NULL) FROM unnest(%s::text[]) t", [list(tables)]
        )
        return cursor.fetchone()[0]


def ensure_tables(connection: BaseDatabaseWrapper) -> None:
    """Create the bookkeeping tables if they are missing (safe when run concurrently)."""
    if _exists(connection, CHECKSUM_TABLE, AUDIT_TABLE):
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEMA_LOCK])
        for statement in _SCHEMA:
            cursor.execute(statement)


def read_checksums(connection: BaseDatabaseWrapper) -> dict[tuple[str, str], ChecksumRecord]:
    """Recorded checksums by ``(app, name)``; empty when none were ever recorded."""
    if not _exists(connection, CHECKSUM_TABLE):
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name, checksum, source, recorded_at FROM {CHECKSUM_TABLE}")
        return {(app, name): ChecksumRecord(*rest) for app, name, *rest in cursor.fetchall()}


def write_checksums(
    connection: BaseDatabaseWrapper, checksums: dict[tuple[str, str], str], source: str
) -> None:
    """Record (or replace) the checksum of each ``(app, name)``."""
    if not checksums:
        return
    ensure_tables(connection)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {CHECKSUM_TABLE} (app, name, checksum, source) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (app, name) DO UPDATE SET checksum = EXCLUDED.checksum,"
            " source = EXCLUDED.source, recorded_at = now()",
            [(app, name, checksum, source) for (app, name), checksum in checksums.items()],
        )


def forget_checksums(connection: BaseDatabaseWrapper, keys: set[tuple[str, str]]) -> None:
    """Drop the checksums of migrations that are no longer applied."""
    if not keys or not _exists(connection, CHECKSUM_TABLE):
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {CHECKSUM_TABLE} WHERE app = %s AND name = %s", sorted(keys)
        )


def current_os_user() -> str:
    """Who runs the command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER (containers)
        return f"uid:{os.getuid()}"


def write_audit(
    connection: BaseDatabaseWrapper,
    action: str,
    key: tuple[str, str],
    *,
    actor: str | None,
    reason: str | None,
    checksum_before: str | None = None,
    checksum_after: str | None = None,
) -> AuditEntry:
    """Append one audit row and return it as stored."""
    ensure_tables(connection)
    os_user = current_os_user()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AUDIT_TABLE} (action, app, name, os_user, actor, reason,"
            " checksum_before, checksum_after) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " RETURNING at",
            [action, *key, os_user, actor, reason, checksum_before, checksum_after],
        )
        (at,) = cursor.fetchone()
    return AuditEntry(at, action, *key, os_user, actor, reason, checksum_before, checksum_after)


def read_audit(connection: BaseDatabaseWrapper) -> list[AuditEntry]:
    """Every audit row, oldest first."""
    if not _exists(connection, AUDIT_TABLE):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT at, action, app, name, os_user, actor, reason, checksum_before,"
            f" checksum_after FROM {AUDIT_TABLE} ORDER BY at, id"
        )
        return [AuditEntry(*row) for row in cursor.fetchall()]
