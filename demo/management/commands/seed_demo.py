"""``manage.py seed_demo``: fill a development database with ``demo.seed``'s data set."""

import argparse
import datetime

from americano.core.environment import refuse_in_production
from americano.core.errors import InputError
from americano.management.base import ProjectCommand
from americano.ops.databases import connection_for_alias
from demo.builder.context import DEMO_PREFIX, STUDY_WEEKS
from demo.seed import DemoDataExists, SeedReport, seed_demo


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date like 2026-09-30: {value!r}") from error


class Command(ProjectCommand):
    help = f"""\
Fills a development database with a realistic, connected demo data set:
students with courses, lectures with chunks and embeddings, cards, missions,
reviews and {STUDY_WEEKS} weeks of behavioural events, built with the
factories. The same --seed and --until give the same rows. Demo ids start with
'{DEMO_PREFIX}'. Refused when AMERICANO_ENV=production."""
    exit_codes = {
        0: "the demo data set was written",
        2: "refused or impossible, nothing written: production, demo data already there "
        "(without --replace), pending migrations, bad arguments",
    }
    json_doc = "docs/admin.md"

    def add_options(self, parser):
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
            f" starts with '{DEMO_PREFIX}').",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though AMERICANO_ENV is production.",
        )
        self.add_database_option(parser, "seed")

    def run(self, **options) -> SeedReport:
        refuse_in_production("seed demo data", options["allow_production"])
        if options["users"] < 1:
            raise InputError("--users must be 1 or more")
        connection = connection_for_alias(options["database"])
        try:
            return seed_demo(
                connection,
                options["users"],
                options["seed"],
                until=options["until"],
                replace=options["replace"],
            )
        except DemoDataExists as error:
            raise DemoDataExists(f"{error}: pass --replace to delete it and seed again") from None

    def render(self, report: SeedReport) -> str:
        lines = [f"{count:>9,}  {label}" for label, count in report.rows.items()]
        lines.append(
            f"{sum(report.rows.values()):,} rows for {report.users} users"
            f" ({report.embedded_chunks:,} chunks embedded) in {report.seconds} s"
        )
        return "\n".join(lines)
