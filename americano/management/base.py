"""The base of every project command: parse, call the library, print a report.

A command subclasses :class:`ProjectCommand`, declares its options in
``add_options`` and does its work in ``run``, which calls the library and
returns a report (``americano.core.reports.Report``). The base gives every
command the same promises:

* ``--format text|json``: text from the command's ``render``, or the report's
  ``as_dict()``; with ``--format json`` an error is a JSON object too
  (``{"ok": false, "error": {"kind", "message"}}``), so a machine always reads
  JSON on stdout;
* ``--help`` that keeps its paragraphs and ends with the exit codes;
* exit 0 when the report is ok, 1 when it is not (with its ``summary`` on
  stderr), 2 on errors, each one line on stderr, never a traceback
  (``americano.management.errors``); argument errors are one line too;
* progress bars on a terminal for text output only
  (``americano.management.progress``);
* SIGTERM, SIGINT and SIGHUP interrupt ``run`` so that its cleanups run, and end
  it with one line (``americano.core.interrupts``; ``stops_gracefully`` lets
  ``run`` stop at a boundary of its own instead).
"""

import argparse
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.db import DEFAULT_DB_ALIAS

from americano.core.errors import AmericanoError
from americano.core.files import write_whole
from americano.core.interrupts import interruptible
from americano.core.reports import Report, printable
from americano.management.errors import EXIT_ERROR, EXIT_FINDINGS, command_errors, explain
from americano.management.progress import progress_bars

#: What exit codes 0 and 2 mean for every command; a command says what 1 (and more) mean.
STANDARD_EXIT_CODES = {
    0: "done: nothing to report",
    2: "error: bad arguments or input, server unreachable or unsuitable, a program missing",
}


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's help layout, keeping the paragraphs of the description and epilog."""


class OneLineErrorParser(CommandParser):
    """Argument errors as one line and a hint, not a page of usage."""

    def error(self, message: str):
        if self.called_from_command_line:
            self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see --help)\n")
        super().error(message)


def one_line_argument_errors(parser: CommandParser) -> CommandParser:
    """``parser``, made to report argument errors in one line (any command's parser)."""
    parser.__class__ = OneLineErrorParser  # same state, one method more specific
    return parser


def path_argument(value: str) -> Path:
    """An argparse type for a path: an empty one (an unset variable in a script) is refused,
    not taken as the current folder."""
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty path")
    return Path(value)


def exit_codes_epilog(codes: dict[int, str], json_doc: str = "") -> str:
    lines = ["exit status:"]
    lines += [f"  {code}  {meaning}" for code, meaning in sorted(codes.items())]
    if json_doc:
        lines += ["", f"The keys of --format json are documented in {json_doc}."]
    return "\n".join(lines)


class CommandLineContract:
    """What every project command promises on a command line, also those that extend one of
    Django's (``migrate``, ``flush``): exit codes at the end of ``--help``, one-line argument
    errors, library errors explained in one line (``handle`` inside :meth:`explained`)."""

    #: What exit code 1 (and any other of the command's own) means: {code: meaning}.
    exit_codes: ClassVar[dict[int, str]] = {}
    #: The document that lists the keys of ``--format json``.
    json_doc: ClassVar[str] = ""
    #: Library errors with an exit code of their own: {error class: code}.
    error_codes: ClassVar[dict[type[AmericanoError], int]] = {}

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault(
            "epilog", exit_codes_epilog({**STANDARD_EXIT_CODES, **self.exit_codes}, self.json_doc)
        )
        return one_line_argument_errors(super().create_parser(prog_name, subcommand, **kwargs))

    def explained(self) -> contextlib.AbstractContextManager[None]:
        """Library and database errors inside the block become one-line ``CommandError``s."""
        return command_errors(self.error_codes)


class ProjectCommand(CommandLineContract, BaseCommand):
    """Base of the project's commands; see the module."""

    #: Whether ``--output FILE`` writes the report to a file instead of stdout.
    writes_output_file: ClassVar[bool] = False
    #: Whether the first SIGTERM/SIGINT only asks ``run`` to stop at its next boundary
    #: (``self.stop``), a second one interrupting; otherwise the first interrupts.
    stops_gracefully: ClassVar[bool] = False
    requires_system_checks: ClassVar[list] = []

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_options(parser)
        parser.add_argument(
            "--format",
            choices=("text", "json"),
            default="text",
            help="text for people (default), or json for machines: one JSON object with "
            "stable keys"
            + (f" (documented in {self.json_doc})" if self.json_doc else "")
            + "; no progress bars.",
        )
        if self.writes_output_file:
            parser.add_argument(
                "--output",
                metavar="FILE",
                help="Write the report to FILE (replaced whole) and print a one-line summary.",
            )

    def add_options(self, parser: CommandParser) -> None:
        """The command's own arguments."""

    @staticmethod
    def add_database_option(parser: CommandParser, what: str = "work on") -> None:
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help=f"The Django database alias to {what} (default: {DEFAULT_DB_ALIAS!r}).",
        )

    def run(self, *args: Any, **options: Any) -> Report:
        """Do the work through the library and return its report."""
        raise NotImplementedError

    def render(self, report: Any) -> str:
        """The report as text for people."""
        raise NotImplementedError

    def summary(self, report: Any) -> str:
        """One line: what ``--output`` prints, and stderr's line when the report is not ok."""
        return "findings: see the report"

    def handle(self, *args: Any, **options: Any) -> None:
        self.as_json = options["format"] == "json"
        with self.explained():
            with (
                self.errors_as_json(),
                interruptible(graceful=self.stops_gracefully) as self.stop,
                progress_bars(self.stdout, not self.as_json),
            ):
                report = self.run(*args, **options)
            self.emit(report, options)
        if not report.ok:
            raise CommandError(
                printable(self.summary(report), one_line=True), returncode=EXIT_FINDINGS
            )

    def emit(self, report: Report, options: dict[str, Any]) -> None:
        text = json.dumps(report.as_dict(), indent=2) if self.as_json else self.render(report)
        if options.get("output"):
            write_whole(options["output"], text.rstrip("\n") + "\n")
            self.stdout.write(self.summary(report))
        elif self.as_json or options.get("verbosity", 1) > 0:
            self.stdout.write(text.rstrip("\n"))

    @contextlib.contextmanager
    def errors_as_json(self) -> Iterator[None]:
        """With ``--format json``, say an error on stdout too, as JSON: a machine reading
        stdout always gets one JSON object."""
        try:
            yield
        except BaseException as error:
            explained = explain(error, self.error_codes) if self.as_json else None
            if explained is not None:
                kind, message, _ = explained
                error_document = {"ok": False, "error": {"kind": kind, "message": message}}
                self.stdout.write(json.dumps(error_document, indent=2))
            raise
