from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from americano.db.preflight import server_problems
from americano.management.base import ReportCommand, one_line_errors
from americano.ops.status import MISSING, MODIFIED, PENDING, StatusReport, collect_status

MARKS = {"applied": "[X]", PENDING: "[ ]", MODIFIED: "[M]", MISSING: "[?]"}


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "at an unknown time"


def _short(checksum: str | None) -> str:
    return checksum[:17] if checksum else "none"


class Command(ReportCommand):
    help = (
        "Shows every migration of every app on the database: applied (with when), "
        "pending, missing (recorded in django_migrations, no file) or modified (edited "
        "since it was applied, by checksum), and the migrate_resolve audit trail. "
        "--drift also builds the history into a shadow database and compares the "
        "catalogs, and looks for model changes with no migration. "
        "Exit status: 0 all applied and clean, 1 pending, modified, missing or drift, "
        "2 error. See docs/migration-lifecycle.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='The database to report on (default: "default").',
        )
        self.add_report_arguments(parser)
        parser.add_argument(
            "--drift",
            action="store_true",
            help="Also compare the database with a shadow database built from the applied "
            "migrations, and the models with the history (slower: runs the history).",
        )
        parser.add_argument(
            "--shadow-url",
            metavar="URL",
            help="With --drift: the PostgreSQL server to build the shadow database on "
            "(a new database, dropped afterwards; the URL's own database is not touched). "
            "Default: the embedded server.",
        )

    def handle(self, *args, **options):
        if options["shadow_url"] and not options["drift"]:
            raise CommandError("--shadow-url needs --drift", returncode=2)
        connection = connections[options["database"]]
        with one_line_errors():
            problems = server_problems(connection)
            if problems:
                raise CommandError("; ".join(problems), returncode=2)
            report = collect_status(connection)
        if options["drift"]:
            # Imported only here: plain status must start fast.
            from americano.ops.drift import DriftError, detect_drift

            with one_line_errors(DriftError):
                report.drift = detect_drift(connection, options["shadow_url"])
        self.emit(report, options)

    def summary(self, report: StatusReport) -> str:
        parts = [f"{report.count(state)} {state}" for state in MARKS if report.count(state)]
        line = f"{len(report.migrations)} migrations: {', '.join(parts) or 'none'}"
        if report.unrecorded:
            line += f"; {report.unrecorded} applied before checksums existed"
        if report.drift is not None:
            line += f"; {len(report.drift.differences)} drift differences"
        return line

    def render(self, report: StatusReport) -> str:
        lines = [f"Database: {report.database}"]
        app = None
        for migration in report.migrations:
            if migration.app != app:
                app = migration.app
                lines.append(self.style.MIGRATE_LABEL(app))
            mark = MARKS[migration.state]
            lines.append(f" {mark} {migration.name:<40} {self.explain(migration)}")
        if report.audit:
            lines.append(self.style.MIGRATE_HEADING("Audit trail:"))
            for entry in report.audit:
                actor = f" (actor {entry.actor})" if entry.actor else ""
                reason = f": {entry.reason}" if entry.reason else ""
                lines.append(
                    f"  {_when(entry.at)} {entry.action} {entry.app}.{entry.name}"
                    f" by {entry.os_user}{actor}{reason}"
                )
        if report.drift is not None:
            lines.append(self.style.MIGRATE_HEADING(f"Drift (shadow on {report.drift.shadow}):"))
            lines += [f"  {difference.line}" for difference in report.drift.differences]
            if report.drift.clean:
                lines.append("  none: the database is what its migrations build")
        summary = self.summary(report)
        lines.append(summary if report.clean else self.style.ERROR(summary))
        return "\n".join(lines) + "\n"

    def explain(self, migration) -> str:
        if migration.state == PENDING:
            return self.style.WARNING("pending")
        if migration.state == MISSING:
            return self.style.ERROR(
                f"MISSING: applied {_when(migration.applied_at)}, no migration file"
            )
        if migration.state == MODIFIED:
            return self.style.ERROR(
                f"MODIFIED since applied {_when(migration.applied_at)}: checksum was "
                f"{_short(migration.recorded.checksum)} ({migration.recorded.source}), "
                f"is {_short(migration.checksum)}"
            )
        if migration.recorded is None:
            return f"applied {_when(migration.applied_at)} (before checksums existed)"
        return f"applied {_when(migration.applied_at)}, checksum ok ({migration.recorded.source})"
