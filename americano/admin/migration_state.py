"""What the Migrations page adds to ``migrate_status``'s report: SQL, grouping, drift on demand.

Where each migration stands (applied and when, pending, missing, modified, and
its checksum) and the audit trail come from ``americano.ops.status``, so the
page and ``migrate_status`` never disagree. The page adds the SQL ``sqlmigrate``
prints for each pending migration (what a reviewer wants before ``migrate``),
and runs ``americano.ops.drift`` only when asked: it builds a shadow database.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from americano.core.errors import first_line
from americano.ops.drift import DriftReport, detect_drift
from americano.ops.status import PENDING, STATES, MigrationStatus, StatusReport

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MigrationRow:
    """One migration on the page: its status and, when pending, the SQL it will run."""

    status: MigrationStatus
    sql: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AppMigrations:
    """One app's migrations, in the order ``migrate`` applies them (missing ones last)."""

    app: str
    rows: list[MigrationRow]

    @property
    def counts(self) -> dict[str, int]:
        return state_counts(row.status for row in self.rows)


@dataclass(frozen=True)
class DriftCheck:
    """The outcome of one drift check: a report, or the one line saying why there is none."""

    report: DriftReport | None = None
    error: str | None = None


def state_counts(migrations: Iterable[MigrationStatus]) -> dict[str, int]:
    """How many migrations are in each state present, in the status library's order."""
    states = [migration.state for migration in migrations]
    return {state: states.count(state) for state in STATES if state in states}


def by_app(report: StatusReport, connection: BaseDatabaseWrapper) -> list[AppMigrations]:
    """The report's migrations grouped by app, the pending ones with their SQL."""
    sql = pending_sql(connection, [m for m in report.migrations if m.state == PENDING])
    apps: dict[str, list[MigrationRow]] = {}
    for migration in report.migrations:
        row = MigrationRow(migration, sql.get((migration.app, migration.name), []))
        apps.setdefault(migration.app, []).append(row)
    return [AppMigrations(app, rows) for app, rows in apps.items()]


def pending_sql(
    connection: BaseDatabaseWrapper, pending: list[MigrationStatus]
) -> dict[tuple[str, str], list[str]]:
    """The SQL ``sqlmigrate`` prints for each pending migration (no loader when none is)."""
    if not pending:
        return {}
    loader = MigrationLoader(connection)
    return {
        (m.app, m.name): loader.collect_sql([(loader.graph.nodes[m.app, m.name], False)])
        for m in pending
    }


def check_drift(connection: BaseDatabaseWrapper) -> DriftCheck:
    """Compare the database with a shadow built from its history, on the server of
    ``AMERICANO_SHADOW_URL`` (default: the embedded one, as ``migrate_status --drift``)."""
    try:
        return DriftCheck(detect_drift(connection, settings.AMERICANO_SHADOW_URL))
    except Exception as error:
        # Whatever failed (the shadow server, a setting, the history), the page says so in
        # one line instead of an error page; the traceback goes to the log.
        logger.exception("drift check failed")
        return DriftCheck(error=first_line(error))
