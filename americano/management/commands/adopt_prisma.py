"""``manage.py adopt_prisma``: take over the production database that Prisma built."""

from pathlib import Path

from americano.core.errors import InputError, SetupError
from americano.core.files import write_whole
from americano.core.reports import printable
from americano.db.preflight import server_problems
from americano.management.base import ProjectCommand
from americano.ops.adopt import (
    ADOPTED,
    READY,
    AdoptionReport,
    adopt_prisma,
    fix_script,
)
from americano.ops.databases import connection_for_alias, connection_for_url

HEADINGS = {
    "missing": "Missing (built by the history, not in the database)",
    "extra": "Extra (in the database, not built by the history)",
    "different": "Different",
    "named_otherwise": "Named otherwise",
}


class Command(ProjectCommand):
    help = """\
Takes over a database that Prisma Migrate built, after checking that it is
exactly what the migration history builds.

Reads _prisma_migrations (a failed or unfinished Prisma migration is reported
first and blocks adoption), builds the history of the schema apps in a shadow
database on a server of the live server's PostgreSQL major version (see
--shadow-url), and compares the two catalogs: types, nullability, defaults,
keys, unique and other indexes (method, opclass, predicate), foreign key
actions, enum labels and their order, extensions, vector dimensions. Every
difference is listed, grouped (missing, extra, different, named otherwise),
with the SQL that mends it where that is safe and mechanical, or what needs a
person. --sql-out writes that SQL to a file for review; this command never
runs it.

Read-only unless --apply. With --apply, and only when nothing differs and no
Prisma migration failed, it adopts the database in one transaction: it runs
the migrations of Django's own apps and the project's bookkeeping, records
every migration of the schema apps as applied (with checksums) and writes one
audit row naming the Prisma migrations they replace. _prisma_migrations is
left as it is. Refused, with nothing changed: a database without
_prisma_migrations, one where Django migrations are already recorded (a second
--apply too). Production needs nothing but an explicit --apply. See
docs/adopt.md."""
    exit_codes = {
        0: "adopted (--apply), or it would adopt cleanly",
        1: "differences, or a failed or unfinished Prisma migration: not adopted, nothing changed",
        2: "error or refusal, nothing changed: no _prisma_migrations, Django already owns the "
        "database, a shadow server of another PostgreSQL major version, bad arguments, ...",
    }
    json_doc = "docs/adopt.md"

    def add_options(self, parser):
        self.add_database_option(parser, "adopt")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Adopt the database when nothing differs (one transaction). Without it, the "
            "command only reads.",
        )
        parser.add_argument(
            "--sql-out",
            metavar="FILE",
            help="Write the SQL that mends the mechanical differences to FILE (replaced whole), "
            "for review. It is never run by this command.",
        )
        parser.add_argument(
            "--shadow-url",
            metavar="URL",
            help="The PostgreSQL server (with pgvector, of the live server's major version) to "
            "build the history on, in a new database dropped afterwards. Default: "
            "AMERICANO_SHADOW_URL, else the embedded server (PostgreSQL 18) when the live "
            "server is PostgreSQL 18; otherwise refused.",
        )
        parser.add_argument(
            "--actor", help="With --apply: who asked for it, kept in the audit row."
        )
        parser.add_argument("--reason", help="With --apply: why, kept in the audit row.")

    def run(self, **options) -> AdoptionReport:
        if not options["apply"] and (options["actor"] or options["reason"]):
            raise InputError("--actor and --reason go into the audit row of --apply: add --apply")
        sql_out = options["sql_out"]
        if sql_out is not None and not sql_out.strip():
            raise InputError("--sql-out is empty: give a file name")
        if sql_out and not Path(sql_out).resolve().parent.is_dir():  # known before the work
            raise InputError(f"cannot write --sql-out {sql_out}: its folder does not exist")
        if options["shadow_url"] is not None:  # a bad URL is refused before anything is read
            connection_for_url(options["shadow_url"], what="--shadow-url")
        connection = connection_for_alias(options["database"])
        problems = server_problems(connection)
        if problems:
            raise SetupError("; ".join(problems))
        report = adopt_prisma(
            connection,
            apply=options["apply"],
            shadow_url=options["shadow_url"],
            actor=options["actor"],
            reason=options["reason"],
        )
        if sql_out:
            write_whole(sql_out, fix_script(report))
            report.sql_out = sql_out
        return report

    def summary(self, report: AdoptionReport) -> str:
        if report.outcome == ADOPTED:
            adoption = report.adoption
            return (
                f"adopted: {len(adoption.recorded)} migrations recorded, {len(adoption.ran)} "
                f"run, replacing {len(adoption.replaced)} Prisma migrations"
            )
        if report.outcome == READY:
            return "no difference: --apply would adopt"
        parts = []
        if report.blocking:
            parts.append(f"{len(report.blocking)} failed or unfinished Prisma migrations")
        if report.findings:
            mechanical = sum(1 for finding in report.findings if finding.mechanical)
            parts.append(f"{len(report.findings)} differences ({mechanical} with safe SQL)")
        return "not adopted, nothing changed: " + ", ".join(parts)

    def render(self, report: AdoptionReport) -> str:
        lines = [
            f"Database: {report.database} (PostgreSQL {report.server_major})",
            f"History: {len(report.history)} migrations of the schema apps, built on "
            f"{report.shadow}",
        ]
        lines += self.prisma_lines(report)
        if report.findings:
            lines.append(self.style.MIGRATE_HEADING(f"Differences ({len(report.findings)}):"))
            for group, findings in report.grouped().items():
                if findings:
                    lines.append(f" {HEADINGS[group]}: {len(findings)}")
                    lines += [line for finding in findings for line in self.finding_lines(finding)]
        else:
            lines.append("Differences: none: the database is what the history builds")
        if report.adoption is not None:
            adoption = report.adoption
            lines.append(self.style.MIGRATE_HEADING("Adopted:"))
            recorded = ", ".join(".".join(key) for key in adoption.recorded)
            lines.append(f"  recorded as applied: {recorded}")
            lines.append(
                f"  run: {len(adoption.ran)} migrations of Django's and the project's apps"
            )
            lines.append(printable(f"  audit: {adoption.audit.reason}"))
        if report.sql_out:
            lines.append(printable(f"Fix SQL written to {report.sql_out} (not run)"))
        summary = self.summary(report)
        lines.append(summary if report.ok else self.style.ERROR(summary))
        return "\n".join(lines) + "\n"

    def prisma_lines(self, report: AdoptionReport) -> list[str]:
        counts = {}
        for row in report.prisma:
            counts[row.state] = counts.get(row.state, 0) + 1
        text = ", ".join(f"{count} {state}" for state, count in counts.items()) or "no rows"
        lines = [f"Prisma migrations (_prisma_migrations): {text}"]
        lines += [self.style.ERROR(printable(f"  {row.line}")) for row in report.blocking]
        return lines

    def finding_lines(self, finding) -> list[str]:
        lines = [printable(f"  {finding.difference.line}")]
        lines += [printable(f"      {statement};") for statement in finding.sql]
        if finding.note:
            lines.append(printable(f"      note: {finding.note}"))
        if finding.person:
            lines.append(self.style.WARNING(printable(f"      needs a person: {finding.person}")))
        return lines
