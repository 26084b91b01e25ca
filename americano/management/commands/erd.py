"""``manage.py erd``: write (or check) the Mermaid ERDs of ``americano.ops.erd``."""

from americano.management.base import ProjectCommand, path_argument
from americano.ops import erd


class Command(ProjectCommand):
    help = """\
Writes the entity-relationship diagrams (Mermaid erDiagram Markdown) of the
schema apps, one per app and an overview of the references between apps,
under docs/erd/. With --check, writes nothing and fails if the committed files
differ from the models."""
    exit_codes = {
        0: "written, or (with --check) up to date",
        1: "with --check: a diagram is missing or out of date",
    }
    json_doc = "docs/admin.md"

    def add_options(self, parser):
        parser.add_argument(
            "--output",
            dest="folder",
            type=path_argument,
            default=None,
            help="Folder of the diagrams (default: docs/erd/ of the project).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit 1 if a diagram is missing or out of date.",
        )

    def run(self, **options) -> erd.DiagramReport:
        directory = options["folder"] or erd.default_directory()
        return erd.update_diagrams(directory, check=options["check"])

    def render(self, report: erd.DiagramReport) -> str:
        if not report.out_of_date:
            return f"{report.directory}: up to date"
        if report.checked:
            return "\n".join(f"out of date: {report.directory}/{n}" for n in report.out_of_date)
        return "\n".join(f"wrote {report.directory}/{name}" for name in report.written)

    def summary(self, report: erd.DiagramReport) -> str:
        return (
            f"out of date in {report.directory}: {', '.join(report.out_of_date)};"
            " run python manage.py erd"
        )
