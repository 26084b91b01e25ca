"""Prisma Migrate's record of its migrations, ``_prisma_migrations``, read as it stands.

Each row is one attempt to apply one migration folder. Prisma sets
``finished_at`` when the migration ran to the end, ``rolled_back_at`` when
``prisma migrate resolve --rolled-back`` gave an attempt up, and ``logs`` when a
step failed. A row with neither timestamp is a migration that failed (it has
logs) or never finished (the process died, or it is running now): Prisma Migrate
itself refuses to deploy past one (P3009), and so does adoption.
"""

import datetime
from dataclasses import dataclass

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.core.errors import InputError
from americano.core.reports import iso
from americano.ops.catalog import PRISMA_MIGRATIONS_TABLE

APPLIED = "applied"
ROLLED_BACK = "rolled-back"
FAILED = "failed"
UNFINISHED = "unfinished"
STATES = (FAILED, UNFINISHED, APPLIED, ROLLED_BACK)
#: States that block adoption, as they block ``prisma migrate deploy``.
BLOCKING = (FAILED, UNFINISHED)
#: Longest part of a failed migration's log kept in a report.
LOG_CHARS = 200

_ROWS = f"""
SELECT migration_name, checksum, started_at, finished_at, rolled_back_at, logs,
       applied_steps_count
FROM {PRISMA_MIGRATIONS_TABLE}
ORDER BY started_at, migration_name
"""


class NotPrismaTable(InputError):
    """``_prisma_migrations`` is not the table Prisma Migrate writes."""


@dataclass(frozen=True)
class PrismaMigration:
    """One row of ``_prisma_migrations``."""

    name: str
    state: str
    checksum: str
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    rolled_back_at: datetime.datetime | None
    applied_steps: int
    #: What the failure log says failed, one line cut to ``LOG_CHARS``; None without a log.
    log: str | None

    @property
    def blocking(self) -> bool:
        return self.state in BLOCKING

    @property
    def line(self) -> str:
        """The row as one line of text."""
        if self.state == APPLIED:
            return f"{self.name}: applied {iso(self.finished_at)}"
        if self.state == ROLLED_BACK:
            return f"{self.name}: rolled back {iso(self.rolled_back_at)}"
        started = f"started {iso(self.started_at)}, {self.applied_steps} steps applied"
        if self.state == FAILED:
            return f"{self.name}: FAILED ({started}): {self.log}"
        return f"{self.name}: UNFINISHED ({started}, no log: it died or is running now)"

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "state": self.state,
            "checksum": self.checksum,
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "rolled_back_at": iso(self.rolled_back_at),
            "applied_steps": self.applied_steps,
            "log": self.log,
            "line": self.line,
        }


def _state(finished_at: object, rolled_back_at: object, logs: str | None) -> str:
    if rolled_back_at is not None:
        return ROLLED_BACK
    if finished_at is not None:
        return APPLIED
    return FAILED if (logs or "").strip() else UNFINISHED


def _log_summary(logs: str | None) -> str | None:
    """The line of Prisma's log that says what failed: PostgreSQL's ``ERROR:`` line (Prisma
    puts its own error code first), else the first line; cut to ``LOG_CHARS``."""
    lines = [line.strip() for line in (logs or "").splitlines() if line.strip()]
    chosen = next((line for line in lines if line.startswith("ERROR:")), None)
    chosen = chosen or (lines[0] if lines else None)
    return chosen[:LOG_CHARS] if chosen else None


def has_prisma_table(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database has ``_prisma_migrations`` (on its search path, as Prisma reads it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [PRISMA_MIGRATIONS_TABLE])
        return cursor.fetchone()[0]


def read_prisma_migrations(connection: BaseDatabaseWrapper) -> list[PrismaMigration]:
    """Every row of ``_prisma_migrations``, in the order Prisma started them; the blocking
    ones are not moved: the report puts them first."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(_ROWS)
            rows = cursor.fetchall()
    except DatabaseError as error:
        raise NotPrismaTable(
            f"{PRISMA_MIGRATIONS_TABLE} is not Prisma Migrate's table: {error}"
        ) from None
    return [
        PrismaMigration(
            name,
            _state(finished, rolled_back, logs),
            checksum,
            started,
            finished,
            rolled_back,
            steps,
            _log_summary(logs) if finished is None and rolled_back is None else None,
        )
        for name, checksum, started, finished, rolled_back, logs, steps in rows
    ]


def replaced_migrations(rows: list[PrismaMigration]) -> list[str]:
    """The Prisma migrations in effect (applied, not rolled back), once each, in order."""
    return list(dict.fromkeys(row.name for row in rows if row.state == APPLIED))
