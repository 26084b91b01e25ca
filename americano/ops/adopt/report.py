"""What ``adopt_prisma`` found and did: one report for people (the command renders it) and for
machines (``as_dict``, keys documented in docs/adopt.md)."""

import datetime
from dataclasses import dataclass, field

from americano.core.reports import iso
from americano.db.history import MigrationKey
from americano.ops.adopt.fixes import GROUPS, Finding
from americano.ops.adopt.prisma import STATES, PrismaMigration
from americano.ops.ledger import AuditEntry

#: Version of the JSON document; bumped only when a key changes meaning or goes.
FORMAT_VERSION = 1

ADOPTED = "adopted"  # --apply did it
READY = "ready"  # no difference, nothing blocking: --apply would adopt
BLOCKED = "blocked"  # differences, or a failed or unfinished Prisma migration


def _key(key: MigrationKey) -> str:
    return ".".join(key)


@dataclass(frozen=True)
class Adoption:
    """What ``--apply`` changed, in one transaction."""

    #: The schema apps' migrations recorded as applied (their SQL was not run).
    recorded: tuple[MigrationKey, ...]
    #: The migrations run: Django's own apps and the project's bookkeeping.
    ran: tuple[MigrationKey, ...]
    #: The Prisma migrations the recorded history stands in for.
    replaced: tuple[str, ...]
    audit: AuditEntry

    def as_dict(self) -> dict:
        return {
            "recorded": [_key(key) for key in self.recorded],
            "ran": [_key(key) for key in self.ran],
            "replaces": list(self.replaced),
            "audit": self.audit.as_dict(),
        }


@dataclass
class AdoptionReport:
    #: The live database (no password) and its PostgreSQL major version.
    database: str
    server_major: int
    #: Where the history was built (no password).
    shadow: str
    #: The schema apps' migrations the history holds, in order.
    history: tuple[MigrationKey, ...]
    #: Every row of ``_prisma_migrations``, in the order Prisma started them.
    prisma: list[PrismaMigration]
    findings: list[Finding]
    #: Whether ``--apply`` was asked for.
    apply: bool
    adoption: Adoption | None = None
    #: Where ``--sql-out`` wrote the fix SQL.
    sql_out: str | None = None
    generated_at: datetime.datetime = field(
        default_factory=lambda: datetime.datetime.now(datetime.UTC)
    )

    @property
    def blocking(self) -> list[PrismaMigration]:
        """Failed and unfinished Prisma migrations: reported first, they block adoption."""
        return [row for row in self.prisma if row.blocking]

    @property
    def ready(self) -> bool:
        """Nothing differs and nothing blocks: ``--apply`` adopts."""
        return not self.findings and not self.blocking

    @property
    def outcome(self) -> str:
        if self.adoption is not None:
            return ADOPTED
        return READY if self.ready else BLOCKED

    @property
    def ok(self) -> bool:
        return self.outcome != BLOCKED

    def grouped(self) -> dict[str, list[Finding]]:
        """The findings by group (``missing``, ``extra``, ``different``, ``named_otherwise``)."""
        return {group: [f for f in self.findings if f.group == group] for group in GROUPS}

    def as_dict(self) -> dict:
        """The ``--format json`` document (keys documented in docs/adopt.md)."""
        grouped = self.grouped()
        return {
            "format": FORMAT_VERSION,
            "generated_at": iso(self.generated_at),
            "database": self.database,
            "server_version": self.server_major,
            "outcome": self.outcome,
            "clean": self.ok,
            "apply": self.apply,
            "shadow": {"server": self.shadow, "migrations": [_key(key) for key in self.history]},
            "summary": {
                "differences": len(self.findings),
                **{group: len(findings) for group, findings in grouped.items()},
                "with_sql": sum(1 for f in self.findings if f.sql),
                "mechanical": sum(1 for f in self.findings if f.mechanical),
                "needs_person": sum(1 for f in self.findings if f.person),
                "blocking_prisma_migrations": len(self.blocking),
            },
            "prisma_migrations": {
                "summary": {
                    state.replace("-", "_"): sum(1 for row in self.prisma if row.state == state)
                    for state in STATES
                },
                "blocking": [row.as_dict() for row in self.blocking],
                "migrations": [row.as_dict() for row in self.prisma],
            },
            "differences": {
                group: [finding.as_dict() for finding in findings]
                for group, findings in grouped.items()
            },
            "sql_out": self.sql_out,
            "adoption": None if self.adoption is None else self.adoption.as_dict(),
        }
