"""What a deployment did: the report of ``migrate_deploy`` (keys in docs/deploy.md).

One report for every ending, written as the work goes, so that a refusal, a
lock that was not acquired or an interruption still leaves a whole report of
what happened up to there.
"""

import datetime as dt
from dataclasses import dataclass, field

from americano.core.reports import iso
from americano.db.history import MigrationKey
from americano.ops.deploy.apply import MigrationFailure, MigrationRun
from americano.ops.deploy.preflight import PlannedMigration, key_name
from americano.ops.locks import Holder

#: Version of the JSON document; bumped only when a key changes meaning or goes.
FORMAT_VERSION = 1

APPLIED = "applied"
NOTHING_TO_DO = "nothing-to-do"
FAILED = "failed"
REFUSED = "refused"
LOCK_TIMEOUT = "lock-timeout"
PLANNED = "planned"
#: Outcomes that exit 0.
GOOD = (APPLIED, NOTHING_TO_DO, PLANNED)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Verification:
    """The checks after the migrations: status, drift, the client statements."""

    pending: list[str] = field(default_factory=list)
    #: Migrations applied by this run whose checksum is not recorded as it is now.
    unrecorded: list[str] = field(default_factory=list)
    #: ``DriftReport.as_dict()``, when drift was looked for.
    drift: dict | None = None
    #: Statements of ``--check-sql`` that do not prepare on the migrated database.
    check_sql_failures: list[dict] | None = None

    @property
    def ok(self) -> bool:
        return (
            not self.pending
            and not self.unrecorded
            and (self.drift is None or self.drift["clean"])
            and not self.check_sql_failures
        )

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "status": {
                "clean": not self.pending and not self.unrecorded,
                "pending": self.pending,
                "unrecorded_checksums": self.unrecorded,
            },
            "drift": self.drift,
            "check_sql": None
            if self.check_sql_failures is None
            else {"ok": not self.check_sql_failures, "failures": self.check_sql_failures},
        }


@dataclass
class DeployReport:
    database: str
    environment: str
    options: dict
    started_at: dt.datetime = field(default_factory=_now)
    ended_at: dt.datetime | None = None
    outcome: str | None = None
    lock_wait_s: float | None = None
    #: The session this deployment waited for, if another held the lock when it came.
    waited_for: Holder | None = None
    pending: list[MigrationKey] = field(default_factory=list)
    migrations: list[MigrationRun] = field(default_factory=list)
    failed: MigrationFailure | None = None
    backup: dict | None = None
    lint: dict | None = None
    #: ``--plan``: each pending migration with its SQL.
    plan: list[PlannedMigration] | None = None
    #: ``--check-sql`` on the shadow, before anything was applied.
    check_sql_shadow: dict | None = None
    verification: Verification | None = None
    #: ``{"kind", "message"}`` of the error that ended the run (set by the command).
    error: dict | None = None
    #: ``--prisma-schema``: ``{"path", "changed"}`` of the artifact written (by the command).
    prisma_schema: dict | None = None

    @property
    def applied(self) -> list[str]:
        return [key_name(run.key) for run in self.migrations]

    @property
    def ok(self) -> bool:
        return self.outcome in GOOD and self.error is None

    def finish(self, outcome: str) -> None:
        self.outcome = outcome
        self.ended_at = _now()

    @property
    def seconds(self) -> float | None:
        if self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds(), 3)

    def as_dict(self) -> dict:
        """The ``--format json`` and ``--report`` document (keys in docs/deploy.md)."""
        return {
            "format": FORMAT_VERSION,
            "ok": self.ok,
            "outcome": self.outcome,
            "database": self.database,
            "environment": self.environment,
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "seconds": self.seconds,
            "lock_wait_s": None if self.lock_wait_s is None else round(self.lock_wait_s, 3),
            "waited_for": self.waited_for.as_dict() if self.waited_for else None,
            "pending": [key_name(key) for key in self.pending],
            "applied": self.applied,
            "migrations": [run.as_dict() for run in self.migrations],
            "failed": self.failed.as_dict() if self.failed else None,
            "backup": self.backup,
            "lint": self.lint,
            "check_sql_shadow": self.check_sql_shadow,
            "verification": self.verification.as_dict() if self.verification else None,
            "plan": None if self.plan is None else [item.as_dict() for item in self.plan],
            "options": self.options,
            "error": self.error,
            "prisma_schema": self.prisma_schema,
        }
