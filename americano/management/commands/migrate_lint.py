"""``manage.py migrate_lint``: what pending migrations will lock, break or fail on."""

from django.db.migrations.loader import MigrationLoader

from americano.core.errors import InputError
from americano.management.base import ProjectCommand
from americano.ops.databases import connection_for_alias
from americano.ops.lint import LintReport, lint_migrations, select_migrations


class Command(ProjectCommand):
    help = """\
Lints migrations before they reach production: by default those not yet
applied to the database; or one app's, or one migration; or --all of the
project's. Each finding names the migration, the operation, the lock it takes,
the table, and the safe way to do it. Django-level rules and squawk on the SQL
of each migration; a finding is waived in the migration file with
lint_waivers = {rule: reason}."""
    exit_codes = {0: "no finding (or all waived)", 1: "findings"}
    json_doc = "docs/migration-lifecycle.md"
    writes_output_file = True

    def add_options(self, parser):
        parser.add_argument("app_label", nargs="?", help="Lint this app's migrations.")
        parser.add_argument(
            "migration_name", nargs="?", help="Lint only this migration (a name prefix)."
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="Lint every migration of the project's own apps, applied or not.",
        )
        self.add_database_option(
            parser, "lint the pending migrations of, and whose server version squawk assumes"
        )

    def run(self, **options) -> LintReport:
        if options["all"] and options["app_label"]:
            raise InputError("give an app or --all, not both")
        connection = connection_for_alias(options["database"])
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        selection, keys = select_migrations(
            loader, options["app_label"], options["migration_name"], options["all"]
        )
        return lint_migrations(loader, keys, connection, selection)

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
        lines.append(summary if report.ok else self.style.ERROR(summary))
        return "\n".join(lines) + "\n"
