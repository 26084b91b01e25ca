"""``manage.py seed_demo``: fill a development database with ``americano.ops.seed``'s data set."""

import argparse
import datetime
import json
import sys
import time
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError, CommandParser

from americano.core.environment import refuse_in_production
from americano.management.errors import command_errors
from americano.management.legacy import add_format_argument
from americano.ops.seed import STUDY_WEEKS, DemoDataExists, SeedError, seed_demo


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date like 2026-09-30: {value!r}") from error


class Command(BaseCommand):
    help = (
        "Fills a development database with a realistic, connected demo data set: students with"
        " courses, lectures with chunks and embeddings, cards, missions, reviews and"
        f" {STUDY_WEEKS} weeks of behavioural events, built with the factories. The same --seed"
        " and --until give the same rows. Demo ids start with 'cdemo'. Refused when"
        " AMERICANO_ENV=production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--users", type=int, default=20, help="Students to create (default 20)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of every random choice (default 1)."
        )
        parser.add_argument(
            "--until",
            type=iso_date,
            default=None,
            help="Last day of the activity, YYYY-MM-DD (default: today, UTC).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the demo rows already in the database first (only rows whose id"
            " starts with 'cdemo').",
        )
        add_format_argument(parser, "the rows written per model")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though AMERICANO_ENV is production.",
        )

    def handle(self, *args: object, **options: object) -> None:
        with command_errors():  # until this command is a ProjectCommand
            refuse_in_production("seed demo data", options["allow_production"])
        if options["users"] < 1:
            raise CommandError("--users must be 1 or more", returncode=2)
        started = time.monotonic()
        show_progress = options["format"] == "text" and sys.stdout.isatty()
        with RichProgress() if show_progress else nullcontext() as progress:
            try:
                summary = seed_demo(
                    options["users"],
                    options["seed"],
                    until=options["until"],
                    replace=options["replace"],
                    progress=progress,
                )
            except DemoDataExists as error:
                raise CommandError(
                    f"{error}: pass --replace to delete it and seed again", returncode=2
                ) from error
            except SeedError as error:
                raise CommandError(str(error), returncode=2) from error
        seconds = round(time.monotonic() - started, 1)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "seconds": seconds,
                        "rows": summary.rows,
                        "embedded_chunks": summary.embedded_chunks,
                    },
                    indent=2,
                )
            )
            return
        for label, count in summary.rows.items():
            self.stdout.write(f"{count:>9,}  {label}")
        self.stdout.write(
            f"{sum(summary.rows.values()):,} rows for {options['users']} users"
            f" ({summary.embedded_chunks:,} chunks embedded) in {seconds} s"
        )


class RichProgress:
    """A ``rich`` progress bar fed by ``seed_demo``'s progress callback."""

    def __enter__(self) -> "RichProgress":
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        self.bar.__enter__()
        self.tasks: dict[str, int] = {}
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done)

    def __exit__(self, *exc_info: object) -> None:
        self.bar.__exit__(*exc_info)
