"""TEMPORARY: the old command base, until every command is a ProjectCommand (issue 10)."""

import argparse
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.db import DatabaseError, InterfaceError
from django.db.migrations.exceptions import (
    BadMigrationError,
    CircularDependencyError,
    InconsistentMigrationHistory,
    NodeNotFoundError,
)

from americano.core.errors import first_line

EXIT_ERROR = 2

#: The migration files themselves are broken (a dependency gone, a cycle, ...).
_HISTORY_ERRORS = (
    BadMigrationError,
    CircularDependencyError,
    InconsistentMigrationHistory,
    NodeNotFoundError,
)


@contextlib.contextmanager
def one_line_errors(*expected: type[Exception]) -> Iterator[None]:
    """Turn ``expected`` library errors, a broken migration graph, bad settings and
    database failures into one-line ``CommandError``s that exit with code 2 (no
    traceback, no password)."""
    try:
        yield
    except expected as error:
        raise CommandError(first_line(error), returncode=EXIT_ERROR) from None
    except _HISTORY_ERRORS as error:
        raise CommandError(f"migrations: {first_line(error)}", returncode=EXIT_ERROR) from None
    except ImproperlyConfigured as error:
        raise CommandError(f"configuration: {first_line(error)}", returncode=EXIT_ERROR) from None
    except (DatabaseError, InterfaceError) as error:
        raise CommandError(f"database: {first_line(error)}", returncode=EXIT_ERROR) from None


def write_report(path: str, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a dashboard never reads half a file."""
    target = Path(path)
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except OSError as error:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        message = f"cannot write {path}: {error.strerror}"
        raise CommandError(message, returncode=EXIT_ERROR) from None


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's help layout, keeping the paragraphs of the description and epilog."""


class LifecycleCommand(BaseCommand):
    """Base of the project's commands: ``--help`` keeps its paragraphs and ends with
    the command's exit codes (``exit_codes``)."""

    exit_codes = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        if self.exit_codes:
            kwargs.setdefault("epilog", self.exit_codes)
        return super().create_parser(prog_name, subcommand, **kwargs)


def add_format_argument(parser, json_help: str = "one JSON object with stable keys") -> None:
    """``--format text|json``, the same on every command."""
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=f"text for people (default), or json for machines: {json_help}.",
    )


class ReportCommand(LifecycleCommand):
    """A command whose report (``as_dict()``, ``clean``) is printed as text or JSON,
    to stdout or to ``--output``; it exits 1 unless the report is clean."""

    requires_system_checks = []

    def add_report_arguments(self, parser) -> None:
        add_format_argument(parser, "stable keys, see the docs")
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Write the report to FILE (replaced whole) and print a one-line summary.",
        )

    def render(self, report) -> str:
        raise NotImplementedError

    def summary(self, report) -> str:
        raise NotImplementedError

    def emit(self, report, options: dict) -> None:
        if options["format"] == "json":
            text = json.dumps(report.as_dict(), indent=2) + "\n"
        else:
            text = self.render(report)
        if options["output"]:
            write_report(options["output"], text)
            self.stdout.write(self.summary(report))
        else:
            self.stdout.write(text, ending="")
        if not report.clean:
            sys.exit(1)
