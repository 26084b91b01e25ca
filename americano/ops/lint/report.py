"""What ``migrate_lint`` reports: findings with their severity, and the JSON document."""

from dataclasses import dataclass, field

from americano.ops.lint.model import Cost
from americano.ops.lint.sizes import ADVICE, BLOCKING, LargeTable, TableSize

FORMAT_VERSION = 1


@dataclass
class Finding:
    rule: str
    #: ``django`` (a rule of ``lint.rules``) or ``squawk``.
    source: str
    app: str
    migration: str
    operation_index: int | None
    operation: str | None
    table: str | None
    lock: str | None
    message: str
    safe: str
    sql: str | None = None
    #: squawk rules folded into this finding.
    also: list[str] = field(default_factory=list)
    #: The reason given in the migration's ``lint_waivers``, when waived.
    waiver: str | None = None
    cost: Cost = Cost.BREAKS
    #: ``blocking`` or ``advice`` (``sizes.severity``).
    severity: str = BLOCKING
    #: The table's live size, when the lint read the database and the table is named.
    table_size: TableSize | None = None

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "source": self.source,
            "app": self.app,
            "migration": self.migration,
            "operation": None
            if self.operation_index is None
            else {"index": self.operation_index, "description": self.operation},
            "table": self.table,
            "lock": self.lock,
            "message": self.message,
            "safe_alternative": self.safe,
            "sql": self.sql,
            "also_reported_by": self.also,
            "waived": self.waiver is not None,
            "waiver_reason": self.waiver,
            "severity": self.severity,
            "cost": str(self.cost),
            "table_size": self.table_size.as_dict() if self.table_size else None,
        }


@dataclass(frozen=True)
class Overruled:
    """A squawk finding dropped because a rule knows better, and why."""

    rule: str
    app: str
    migration: str
    operation_index: int
    why: str

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "app": self.app,
            "migration": self.migration,
            "operation": self.operation_index,
            "why": self.why,
        }


@dataclass
class LintReport:
    #: ``pending``, ``all``, ``<app>`` or ``<app>.<migration>``.
    selection: str
    migrations: list[str]
    findings: list[Finding]
    #: Waivers that waive nothing, or give no reason (and so are ignored).
    unused_waivers: list[dict]
    overruled: list[Overruled] = field(default_factory=list)
    large_table: LargeTable = field(default_factory=LargeTable)
    #: The database whose table sizes were read; None when the lint read the files alone.
    sizes_from: str | None = None
    #: Whether advice fails the lint too.
    strict: bool = False
    #: Why the sizes of ``sizes_from`` could not be read (every table then counts as large).
    sizes_unread: str | None = None

    @property
    def unwaived(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.waiver is None]

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.unwaived if finding.severity == BLOCKING]

    @property
    def advice(self) -> list[Finding]:
        return [finding for finding in self.unwaived if finding.severity == ADVICE]

    @property
    def failing(self) -> list[Finding]:
        """The findings that fail the lint: blocking ones, and advice too when strict."""
        return self.unwaived if self.strict else self.blocking

    @property
    def ok(self) -> bool:
        return not self.failing

    def as_dict(self) -> dict:
        """The ``--format json`` document (keys documented in docs/migration-lifecycle.md)."""
        return {
            "format": FORMAT_VERSION,
            "selection": self.selection,
            "clean": self.ok,
            "summary": {
                "migrations": len(self.migrations),
                "findings": len(self.findings),
                "blocking": len(self.blocking),
                "advice": len(self.advice),
                "waived": len(self.findings) - len(self.unwaived),
            },
            "strict": self.strict,
            "sizes_from": self.sizes_from,
            "sizes_unread": self.sizes_unread,
            "large_table": {"rows": self.large_table.rows, "bytes": self.large_table.bytes},
            "migrations": self.migrations,
            "findings": [finding.as_dict() for finding in self.findings],
            "unused_waivers": self.unused_waivers,
            "overruled": [overruled.as_dict() for overruled in self.overruled],
        }
