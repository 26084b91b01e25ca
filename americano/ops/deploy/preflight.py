"""Before anything is applied: the server, the history, the lint, what would run.

A deployment refuses (``DeployRefused``, before touching anything) a server that
cannot hold the schema, a history that is not what the code says (a migration
modified since it was applied, one applied that no file has, conflicting
leaves) and pending migrations that ``migrate_lint`` fails. The migration files
carry their waivers, as for ``migrate_lint`` itself.
"""

from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from americano.core.errors import InputError, SetupError
from americano.db.history import MigrationKey, pending_migrations
from americano.db.preflight import server_problems
from americano.ops.status import MISSING, MODIFIED, PENDING, collect_status


class DeployRefused(InputError):
    """The deployment would not be safe: nothing was applied, and the message says why."""


def key_name(key: MigrationKey) -> str:
    return f"{key[0]}.{key[1]}"


def check_server(connection: BaseDatabaseWrapper) -> None:
    """``SetupError`` unless the server is PostgreSQL 14+ with pgvector."""
    problems = server_problems(connection)
    if problems:
        raise SetupError("; ".join(problems))


def count_pending(connection: BaseDatabaseWrapper) -> int:
    """How many migrations are pending; ``DeployRefused`` if any is modified or missing."""
    status = collect_status(connection)
    wrong = [m for m in status.migrations if m.state in (MODIFIED, MISSING)]
    if wrong:
        listed = ", ".join(f"{m.app}.{m.name} ({m.state})" for m in wrong[:3])
        more = f" and {len(wrong) - 3} more" if len(wrong) > 3 else ""
        raise DeployRefused(
            f"refusing to deploy: the history on the database is not the code's: {listed}{more} "
            "(see manage.py migrate_status; migrate_resolve records what was done by hand)"
        )
    return status.count(PENDING)


def pending_in_order(connection: BaseDatabaseWrapper) -> tuple[MigrationLoader, list[MigrationKey]]:
    """The loader of ``connection``'s database and its pending migrations, in the order
    ``migrate`` applies them; refuses an inconsistent history or conflicting leaves."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    loader.check_consistent_history(connection)
    conflicts = loader.detect_conflicts()
    if conflicts:
        listed = "; ".join(f"{app}: {', '.join(sorted(names))}" for app, names in conflicts.items())
        raise DeployRefused(
            f"refusing to deploy: conflicting migrations ({listed}); merge them with "
            "makemigrations --merge"
        )
    return loader, pending_migrations(loader)


@dataclass(frozen=True)
class PlannedMigration:
    """One pending migration as ``--plan`` shows it: what it is and the SQL it runs."""

    key: MigrationKey
    atomic: bool
    sql: list[str]

    def as_dict(self) -> dict:
        return {"migration": key_name(self.key), "atomic": self.atomic, "sql": self.sql}


def plan_sql(loader: MigrationLoader, keys: list[MigrationKey]) -> list[PlannedMigration]:
    """The SQL each of ``keys`` would run (as ``sqlmigrate`` writes it), nothing executed."""
    planned = []
    for key in keys:
        migration = loader.graph.nodes[key]
        sql = loader.collect_sql([(migration, False)])
        planned.append(PlannedMigration(key, bool(migration.atomic), sql))
    return planned


def lint_pending(
    connection: BaseDatabaseWrapper, loader: MigrationLoader, keys: list[MigrationKey]
):
    """``migrate_lint``'s report on those of ``keys`` that belong to the project's own apps,
    judged by the live table sizes as ``migrate_lint`` judges them by default. An installed
    package's migrations (Django's contrib apps) can be neither changed nor waived here."""
    # Slow to import: only when something is pending.
    from americano.ops.lint import TableSizes, lint_migrations, select_migrations

    pending = set(keys)
    _, project = select_migrations(loader, everything=True)
    mine = [key for key in project if key in pending]
    return lint_migrations(loader, mine, connection, "pending", sizes=TableSizes(connection))


def lint_summary(report) -> dict:
    """The lint as a deployment report holds it: counts and the findings that fail it."""
    return {
        "clean": report.ok,
        "migrations": len(report.migrations),
        "findings": len(report.findings),
        "failing": [finding.as_dict() for finding in report.failing],
        "waived": len(report.findings) - len(report.unwaived),
    }


def refuse_lint(report) -> None:
    """``DeployRefused`` if the lint fails, naming its first failing finding."""
    if report.ok:
        return
    first = report.failing[0]
    raise DeployRefused(
        f"refusing to deploy: migrate_lint fails the pending migrations ({len(report.failing)} "
        f"findings; first {first.rule} in {first.app}.{first.migration}: {first.message}); "
        "make the migration safe or waive the finding in its lint_waivers, with a reason"
    )
