from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

from americano.management.base import ReportCommand, one_line_errors
from americano.ops.lint import LintError, LintReport, lint_migrations, select_migrations
from americano.ops.squawk import SquawkError


class Command(ReportCommand):
    help = (
        "Lints migrations before they reach production: by default those not yet "
        "applied to the database; or one app's, or one migration; or --all of the "
        "project's. Each finding names the migration, the operation, the lock it "
        "takes, the table, and the safe way to do it. Django-level rules and squawk "
        "on the SQL of each migration; a finding is waived in the migration file with "
        "lint_waivers = {rule: reason}. Exit status: 0 clean, 1 findings, 2 error. "
        "See docs/migration-lifecycle.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("app_label", nargs="?", help="Lint this app's migrations.")
        parser.add_argument(
            "migration_name", nargs="?", help="Lint only this migration (a name prefix)."
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="Lint every migration of the project's own apps, applied or not.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database whose pending migrations are linted and whose server "
            'version squawk assumes (default: "default").',
        )
        self.add_report_arguments(parser)

    def handle(self, *args, **options):
        if options["all"] and options["app_label"]:
            raise CommandError("give an app or --all, not both", returncode=2)
        connection = connections[options["database"]]
        with one_line_errors(LintError, SquawkError):
            loader = MigrationLoader(connection, ignore_no_migrations=True)
            selection, keys = select_migrations(
                loader, options["app_label"], options["migration_name"], options["all"]
            )
            report = lint_migrations(loader, keys, connection, selection)
        self.emit(report, options)

    def summary(self, report: LintReport) -> str:
        waived = len(report.findings) - len(report.blocking)
        return (
            f"{len(report.blocking)} findings ({waived} waived) in "
            f"{len(report.migrations)} migrations ({report.selection})"
        )

    def render(self, report: LintReport) -> str:
        if not report.migrations:
            return f"No migrations to lint ({report.selection}).\n"
        lines = []
        current = None
        for finding in report.findings:
            where = f"{finding.app}.{finding.migration}"
            if where != current:
                current = where
                lines.append(self.style.MIGRATE_LABEL(where))
            operation = (
                "the migration"
                if finding.operation_index is None
                else f"operation {finding.operation_index}: {finding.operation}"
            )
            title = f"  {finding.rule} ({finding.source}) at {operation}"
            lines.append(
                self.style.WARNING(f"{title} [waived: {finding.waiver}]")
                if finding.waiver
                else self.style.ERROR(title)
            )
            lines.append(f"    {finding.message}")
            lines.append(f"    table: {finding.table or '-'}; lock: {finding.lock or '-'}")
            lines.append(f"    safe way: {finding.safe}")
            if finding.also:
                lines.append(f"    also reported by squawk: {', '.join(finding.also)}")
        for waiver in report.unused_waivers:
            lines.append(
                self.style.WARNING(
                    f"waiver {waiver['rule']} in {waiver['app']}.{waiver['migration']} "
                    f"ignored: {waiver['why']}"
                )
            )
        summary = self.summary(report)
        lines.append(summary if report.clean else self.style.ERROR(summary))
        return "\n".join(lines) + "\n"
