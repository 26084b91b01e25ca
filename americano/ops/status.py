"""Where each migration stands on a database: ``migrate_status``'s report.

A migration is *applied* (and when), *pending*, *missing* (recorded in
``django_migrations`` with no file any more) or *modified* (applied, but what
it does now differs from the checksum recorded when it was applied). Applied
migrations without a recorded checksum were applied before checksums existed:
reported as such, not as a problem.
"""

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from americano.core.reports import iso
from americano.db.history import history
from americano.ops.checksums import migration_checksum
from americano.ops.databases import describe
from americano.ops.ledger import AuditEntry, ChecksumRecord, read_audit, read_checksums

if TYPE_CHECKING:
    from americano.ops.drift import DriftReport

APPLIED = "applied"
PENDING = "pending"
MISSING = "missing"
MODIFIED = "modified"
STATES = (APPLIED, PENDING, MISSING, MODIFIED)

#: Version of the JSON document; bumped only when a key changes meaning or goes.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class MigrationStatus:
    app: str
    name: str
    state: str
    applied_at: datetime.datetime | None = None
    #: Checksum of the migration as it is now; computed only to compare with a record.
    checksum: str | None = None
    recorded: ChecksumRecord | None = None

    @property
    def checksum_state(self) -> str | None:
        """``match``, ``modified`` or ``unrecorded`` for applied migrations, else None."""
        if self.state not in (APPLIED, MODIFIED):
            return None
        if self.recorded is None:
            return "unrecorded"
        return "modified" if self.state == MODIFIED else "match"

    def as_dict(self) -> dict:
        return {
            "app": self.app,
            "name": self.name,
            "state": self.state,
            "applied_at": iso(self.applied_at),
            "checksum": {
                "state": self.checksum_state,
                "current": self.checksum,
                "recorded": self.recorded.checksum if self.recorded else None,
                "recorded_at": iso(self.recorded.recorded_at) if self.recorded else None,
                "source": self.recorded.source if self.recorded else None,
            },
        }


@dataclass
class StatusReport:
    database: str
    migrations: list[MigrationStatus]
    audit: list[AuditEntry]
    #: Set by ``--drift`` (the drift module is imported only then: it is slower to load).
    drift: "DriftReport | None" = None
    generated_at: datetime.datetime = field(
        default_factory=lambda: datetime.datetime.now(datetime.UTC)
    )

    def count(self, state: str) -> int:
        return sum(1 for migration in self.migrations if migration.state == state)

    @property
    def unrecorded(self) -> int:
        return sum(1 for m in self.migrations if m.checksum_state == "unrecorded")

    @property
    def ok(self) -> bool:
        """All applied, nothing modified or missing, and no drift if it was looked for."""
        problems = self.count(PENDING) + self.count(MISSING) + self.count(MODIFIED)
        return problems == 0 and (self.drift is None or self.drift.ok)

    def as_dict(self) -> dict:
        """The ``--format json`` document (keys documented in docs/migration-lifecycle.md)."""
        return {
            "format": FORMAT_VERSION,
            "generated_at": iso(self.generated_at),
            "database": self.database,
            "clean": self.ok,
            "summary": {
                "total": len(self.migrations),
                **{state: self.count(state) for state in STATES},
                "unrecorded_checksums": self.unrecorded,
                "drift": None if self.drift is None else len(self.drift.differences),
            },
            "migrations": [migration.as_dict() for migration in self.migrations],
            "audit": [entry.as_dict() for entry in self.audit],
            "drift": None if self.drift is None else self.drift.as_dict(),
        }


def _applied_at(applied: dict, key: tuple[str, str]) -> datetime.datetime | None:
    """When ``key`` was applied; a squashed migration, when its last replaced one was."""
    record = applied[key]
    if hasattr(record, "applied"):
        return record.applied
    replaced = (applied.get(old) for old in record.replaces)
    return max((old.applied for old in replaced if hasattr(old, "applied")), default=None)


def collect_status(connection: BaseDatabaseWrapper) -> StatusReport:
    """The state of every migration of every app on ``connection``'s database."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = loader.applied_migrations
    recorded = read_checksums(connection)
    by_app: dict[str, list[MigrationStatus]] = {}
    for app_label, migration in history(loader.graph):
        key = (app_label, migration.name)
        if key not in applied:
            status = MigrationStatus(app_label, migration.name, PENDING)
        else:
            record = recorded.get(key)
            checksum = migration_checksum(migration) if record else None
            state = MODIFIED if record and record.checksum != checksum else APPLIED
            status = MigrationStatus(
                app_label, migration.name, state, _applied_at(applied, key), checksum, record
            )
        by_app.setdefault(app_label, []).append(status)
    replaced = {old for migration in loader.replacements.values() for old in migration.replaces}
    for key in sorted(set(applied) - set(loader.graph.nodes) - replaced):
        by_app.setdefault(key[0], []).append(
            MigrationStatus(*key, MISSING, _applied_at(applied, key), None, recorded.get(key))
        )
    migrations = [status for app in sorted(by_app) for status in by_app[app]]
    return StatusReport(describe(connection), migrations, read_audit(connection))
