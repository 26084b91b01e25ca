"""``manage.py seed_demo``: fill a development database with ``demo.seed``'s data set."""

import argparse
import datetime

from django.db import transaction

from americano.core.environment import refuse_in_production
from americano.core.interrupts import on_interrupt
from americano.management.base import ProjectCommand
from americano.ops.databases import connection_for_alias
from demo.builder.context import DEMO_PREFIX, STUDY_WEEKS
from demo.seed import (
    EARLIEST_UNTIL,
    MAX_USERS,
    DemoDataExists,
    SeedReport,
    check_arguments,
    seed_demo,
)

#: What an interrupted run leaves: its one transaction is rolled back.
NOTHING_WRITTEN = "nothing written (its one transaction was rolled back)"


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
'{DEMO_PREFIX}'. Refused when AMERICANO_ENV=production.

Everything is written in one transaction: stopped (Ctrl-C, SIGTERM, SIGHUP,
SIGKILL, a lost connection) it leaves the database as it was."""
    exit_codes = {
        0: "the demo data set was written",
        2: "refused, impossible or stopped, nothing written: production, demo data already "
        "there (without --replace), pending migrations, bad arguments, Ctrl-C or SIGTERM",
    }
    json_doc = "docs/admin.md"

    def add_options(self, parser):
        parser.add_argument(
            "--users",
            type=int,
            default=20,
            help=f"Students to create, 1 to {MAX_USERS:,} (default 20). Each is about 475 rows"
            " and 0.4 MB: 1,000 take about 410 MB and 1 to 1.5 minutes.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of every random choice (default 1)."
        )
        parser.add_argument(
            "--until",
            type=iso_date,
            default=None,
            help=f"Last day of the activity, YYYY-MM-DD, from {EARLIEST_UNTIL} to a year from"
            " today (default: today, UTC).",
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
        check_arguments(options["users"], options["until"])  # before connecting
        connection = connection_for_alias(options["database"])
        # The command holds the transaction (seed_demo's becomes a savepoint) so that a signal
        # rolls it back, up to the commit: from then on it is only noted.
        with (
            on_interrupt(NOTHING_WRITTEN, stop=self.stop),
            transaction.atomic(using=connection.alias),
        ):
            try:
                report = seed_demo(
                    connection,
                    options["users"],
                    options["seed"],
                    until=options["until"],
                    replace=options["replace"],
                )
            except DemoDataExists as error:
                raise DemoDataExists(
                    f"{error}: pass --replace to delete it and seed again"
                ) from None
            self.stop.hold()
        return report

    def render(self, report: SeedReport) -> str:
        lines = [f"{count:>9,}  {label}" for label, count in report.rows.items()]
        lines.append(
            f"{sum(report.rows.values()):,} rows for {report.users} users"
            f" ({report.embedded_chunks:,} chunks embedded) in {report.seconds} s"
        )
        return "\n".join(lines)
