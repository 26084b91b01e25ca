"""``manage.py export_prisma_schema``: the Prisma clients' ``schema.prisma``, from the models."""

from django.db import DEFAULT_DB_ALIAS, connections

from americano.core.reports import printable
from americano.management.base import ProjectCommand, path_argument
from americano.ops.prisma import export_schema
from americano.ops.prisma.report import ExportReport, compare, write_schema


class Command(ProjectCommand):
    help = """\
Writes the schema.prisma of the Prisma clients (the web app, the ML service) from
the Django models of the schema apps, without a database: one Prisma model per
table, its columns, relations on both sides with the database's ON DELETE and ON
UPDATE actions, unique constraints, indexes and enums, exactly as migrate builds
them. What Prisma cannot declare (the HNSW vector indexes) is a comment.

Prints the file, or writes it with --output (only if it differs). With --check,
writes nothing and exits 1 with a unified diff when the file is missing or is not
what would be written: the web app's CI runs that."""
    exit_codes = {
        0: "printed, written, or (with --check) up to date",
        1: "with --check: the file is missing or differs from the models (diff on stdout)",
    }
    json_doc = "docs/prisma-export.md"

    def add_options(self, parser):
        target = parser.add_mutually_exclusive_group()
        target.add_argument(
            "--output",
            dest="write_path",
            metavar="PATH",
            type=path_argument,
            help="Write the file to PATH (replaced whole, and only if it differs).",
        )
        target.add_argument(
            "--check",
            dest="check_path",
            metavar="PATH",
            type=path_argument,
            help="Write nothing; exit 1 and print a unified diff if PATH is not what would be"
            " written.",
        )

    def run(self, **options) -> ExportReport:
        schema = export_schema(connections[DEFAULT_DB_ALIAS])
        if options["check_path"]:
            return compare(schema, "check", options["check_path"])
        if options["write_path"]:
            return write_schema(schema, options["write_path"])
        return compare(schema, "print")

    def render(self, report: ExportReport) -> str:
        counts = f"{report.models} models, {report.enums} enums"
        if report.mode == "print":
            return report.schema
        path = printable(report.path)
        if report.mode == "check" and report.changed:
            return printable(report.diff)
        if report.changed:
            return f"wrote {path}: {counts}"
        return f"{path}: up to date ({counts})"

    def summary(self, report: ExportReport) -> str:
        state = "is missing" if report.missing else "differs from the models"
        return (
            f"{printable(report.path)} {state}: run python manage.py export_prisma_schema"
            f" --output {printable(report.path)}"
        )
