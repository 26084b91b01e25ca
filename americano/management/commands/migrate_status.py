"""``manage.py migrate_status``: where every migration stands, and drift on demand."""

from americano.core.errors import InputError, SetupError
from americano.core.reports import printable
from americano.db.preflight import server_problems
from americano.management.base import ProjectCommand
from americano.ops.databases import connection_for_alias
from americano.ops.status import MISSING, MODIFIED, PENDING, StatusReport, collect_status

MARKS = {"applied": "[X]", PENDING: "[ ]", MODIFIED: "[M]", MISSING: "[?]"}


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "at an unknown time"


def _short(checksum: str | None) -> str:
    return checksum[:17] if checksum else "none"


class Command(ProjectCommand):
    help = """\
Shows every migration of every app on the database: applied (with when),
pending, missing (recorded in django_migrations, no file) or modified (edited
since it was applied, by checksum), and the migrate_resolve audit trail.
--drift also builds the history into a shadow database and compares the
catalogs, and looks for model changes with no migration. The shadow server
must run the live server's PostgreSQL major version (see --shadow-url)."""
    exit_codes = {
        0: "every migration applied, checksums match (and no drift, with --drift)",
        1: "pending, modified or missing migrations, or drift",
    }
    json_doc = "docs/migration-lifecycle.md"
    writes_output_file = True

    def add_options(self, parser):
        self.add_database_option(parser, "report on")
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
            "It must run the live server's PostgreSQL major version (catalog text differs "
            "between versions). Default: AMERICANO_SHADOW_URL, else the embedded server "
            "(PostgreSQL 18) when the live server is PostgreSQL 18; otherwise refused.",
        )

    def run(self, **options) -> StatusReport:
        if options["shadow_url"] is not None and not options["drift"]:
            raise InputError("--shadow-url needs --drift")
        connection = connection_for_alias(options["database"])
        problems = server_problems(connection)
        if problems:
            raise SetupError("; ".join(problems))
        report = collect_status(connection)
        if options["drift"]:
            # Imported only here: plain status must start fast.
            from americano.ops.drift import detect_drift

            report.drift = detect_drift(connection, options["shadow_url"])
        return report

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
                    printable(
                        f"  {_when(entry.at)} {entry.action} {entry.app}.{entry.name}"
                        f" by {entry.os_user}{actor}{reason}"
                    )
                )
        if report.drift is not None:
            lines.append(self.style.MIGRATE_HEADING(f"Drift (shadow on {report.drift.shadow}):"))
            lines += [f"  {difference.line}" for difference in report.drift.differences]
            if report.drift.ok:
                lines.append("  none: the database is what its migrations build")
        summary = self.summary(report)
        lines.append(summary if report.ok else self.style.ERROR(summary))
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
