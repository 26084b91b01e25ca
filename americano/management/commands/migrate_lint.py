"""``manage.py migrate_lint``: what pending migrations will lock, break or fail on."""

from django.db.migrations.loader import MigrationLoader

from americano.core.errors import InputError
from americano.management.base import ProjectCommand
from americano.ops.databases import connection_for_alias
from americano.ops.lint import (
    Finding,
    LintReport,
    TableSizes,
    configured_large_table,
    lint_migrations,
    select_migrations,
)


class Command(ProjectCommand):
    help = """\
Lints migrations before they reach production: by default those not yet
applied to the database; or one app's, or one migration; or --all of the
project's. Each finding names the migration, the operation, the lock it takes,
the table, and the safe way to do it. Django-level rules and squawk on the SQL
of each migration; a finding is waived in the migration file with
lint_waivers = {rule: reason}.

Every finding is blocking (it stops reads or writes on an existing table for
longer than a moment, or breaks the running code or the migration) or advice
(style, future-proofing); only blocking findings fail the lint, unless --strict.
A rewrite, full scan or index build is blocking on a large table and advice on a
small one: the sizes are the connected database's live ones (run it against
production, or a copy of it), or, with --no-database, unknown and so large."""
    exit_codes = {
        0: "no blocking finding (advice and waived findings allowed)",
        1: "blocking findings (with --strict: any unwaived finding)",
    }
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
        parser.add_argument(
            "--strict", action="store_true", help="Fail on advice too, not only on blocking."
        )
        parser.add_argument(
            "--no-database",
            action="store_true",
            help="Judge from the migration files alone: read no table sizes, so every rewrite, "
            "scan or index build of an existing table is blocking (for CI, whose database "
            "holds none of production's rows).",
        )
        parser.add_argument(
            "--large-table",
            metavar="LIMIT",
            help="Where a table becomes large: ROWS (estimated), a SIZE such as 100MB, or "
            "ROWS,SIZE; a table above either is large (default: "
            "AMERICANO_LINT_LARGE_TABLE_ROWS and _BYTES, 100000 rows or 100MB).",
        )
        self.add_database_option(
            parser,
            "lint the pending migrations of, measure the tables of, and whose server "
            "version squawk assumes",
        )

    def run(self, **options) -> LintReport:
        if options["all"] and options["app_label"]:
            raise InputError("give an app or --all, not both")
        large_table = configured_large_table()
        if options["large_table"] is not None:
            large_table = large_table.with_limits(options["large_table"])
        connection = connection_for_alias(options["database"])
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        selection, keys = select_migrations(
            loader, options["app_label"], options["migration_name"], options["all"]
        )
        sizes = None if options["no_database"] or not keys else TableSizes(connection)
        return lint_migrations(
            loader,
            keys,
            connection,
            selection,
            sizes=sizes,
            large_table=large_table,
            strict=options["strict"],
        )

    def summary(self, report: LintReport) -> str:
        waived = len(report.findings) - len(report.unwaived)
        line = (
            f"{len(report.unwaived)} findings ({waived} waived) in "
            f"{len(report.migrations)} migrations ({report.selection})"
        )
        if report.unwaived:
            line += f": {len(report.blocking)} blocking, {len(report.advice)} advice"
            if report.strict and report.advice:
                line += " (--strict: advice fails too)"
        return line

    def render(self, report: LintReport) -> str:
        if not report.migrations:
            return f"No migrations to lint ({report.selection}).\n"
        lines = []
        sizes = f"sizes from {report.sizes_from}" if report.sizes_from else "sizes not measured"
        if report.sizes_unread:
            sizes = f"sizes of {report.sizes_from} not read: {report.sizes_unread}"
        groups = [
            ("Blocking", report.blocking, self.style.ERROR),
            ("Advice", report.advice, self.style.WARNING),
            ("Waived", [f for f in report.findings if f.waiver], self.style.WARNING),
        ]
        for title, findings, style in groups:
            if findings:
                lines.append(style(f"{title} ({len(findings)}; {sizes})"))
                lines += self._findings(findings)
        if report.overruled:
            lines.append(f"Overruled squawk findings ({len(report.overruled)})")
            lines += [
                f"  {o.app}.{o.migration} operation {o.operation_index}: {o.rule}: {o.why}"
                for o in report.overruled
            ]
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

    def _findings(self, findings: list[Finding]) -> list[str]:
        lines = []
        current = None
        for finding in findings:
            where = f"{finding.app}.{finding.migration}"
            if where != current:
                current = where
                lines.append(self.style.MIGRATE_LABEL(f"  {where}"))
            operation = (
                "the migration"
                if finding.operation_index is None
                else f"operation {finding.operation_index}: {finding.operation}"
            )
            waiver = f" [waived: {finding.waiver}]" if finding.waiver else ""
            lines.append(f"    {finding.rule} ({finding.source}) at {operation}{waiver}")
            lines.append(f"      {finding.message}")
            lines.append(f"      table: {finding.table or '-'}; lock: {finding.lock or '-'}")
            lines.append(f"      safe way: {finding.safe}")
            if finding.also:
                lines.append(f"      also reported by squawk: {', '.join(finding.also)}")
        return lines
