"""``manage.py erd``: write (or check) the Mermaid ERDs of ``americano.ops.erd``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from americano.ops import erd


class Command(BaseCommand):
    help = (
        "Writes the entity-relationship diagrams (Mermaid erDiagram Markdown) of the schema"
        " apps, one per app and an overview of the references between apps, under docs/erd/."
        " With --check, writes nothing and fails if the committed files differ from the models."
    )
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Folder of the diagrams (default: docs/erd/ of the project).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit 1 if a diagram is missing or out of date.",
        )

    def handle(self, *args: object, **options: object) -> None:
        directory = options["output"] or erd.default_directory()
        if options["check"]:
            stale = erd.stale_files(directory)
            if stale:
                raise CommandError(
                    f"out of date in {directory}: {', '.join(stale)}; run python manage.py erd",
                    returncode=1,
                )
            self.stdout.write(f"{directory}: up to date")
            return
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is not a folder", returncode=2)
        changed = erd.write_all(directory)
        for path in changed:
            self.stdout.write(f"wrote {path}")
        if not changed:
            self.stdout.write(f"{directory}: up to date")
