"""Library errors as a command line shows them: one line on stderr and an exit code.

This is the only place that knows exit codes. ``0`` all is well, ``1`` the work
found something (pending, drift, a failed verification, unfinished work), ``2``
an error (bad input, an environment that cannot do it); a command may add its own
(``migrate_deploy``: ``3``, the lock was not acquired).
"""

import contextlib
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError
from django.db.migrations.exceptions import (
    BadMigrationError,
    CircularDependencyError,
    InconsistentMigrationHistory,
    NodeNotFoundError,
)
from django.utils.connection import ConnectionDoesNotExist

from americano.core.errors import (
    AmericanoError,
    FindingError,
    InputError,
    SetupError,
    first_line,
    one_line,
)
from americano.core.interrupts import Interrupted
from americano.core.reports import printable

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

#: The migration files themselves are broken (a dependency gone, a cycle, ...).
HISTORY_ERRORS = (
    BadMigrationError,
    CircularDependencyError,
    InconsistentMigrationHistory,
    NodeNotFoundError,
)


#: The ``kind`` of an error in JSON output, by its meaning.
KINDS = (
    (FindingError, "finding"),
    (InputError, "input"),
    (SetupError, "setup"),
    (AmericanoError, "error"),
)


def exit_code(
    error: AmericanoError, extra: Mapping[type[AmericanoError], int] | None = None
) -> int:
    """The exit code of ``error``: a command's own codes first, then by meaning."""
    for kind, code in (extra or {}).items():
        if isinstance(error, kind):
            return code
    return EXIT_FINDINGS if isinstance(error, FindingError) else EXIT_ERROR


def migration_file(error: SyntaxError | ImportError) -> str | None:
    """``file:line`` of the migration file whose import raised ``error``, if one did: a
    broken migration file is the user's input, not a bug of the command reading it."""
    if isinstance(error, SyntaxError) and error.filename:
        places = [(error.filename, error.lineno)]
    else:
        places = [
            (f.f_code.co_filename, line) for f, line in traceback.walk_tb(error.__traceback__)
        ]
    found = [f"{path}:{line}" for path, line in places if "migrations" in Path(path).parts]
    return found[-1] if found else None


def explain(
    error: BaseException, extra: Mapping[type[AmericanoError], int] | None = None
) -> tuple[str, str, int] | None:
    """``(kind, one-line message, exit code)`` of an error a command line explains to its user;
    None for anything else (a bug: its traceback is worth more than a line)."""
    if isinstance(error, AmericanoError):
        kind = next(name for cls, name in KINDS if isinstance(error, cls))
        return kind, one_line(error), exit_code(error, extra)
    if isinstance(error, SyntaxError | ImportError) and (where := migration_file(error)):
        return "input", f"migrations: {where}: {first_line(error)}", EXIT_ERROR
    if isinstance(error, Interrupted):
        return "interrupted", f"interrupted ({error})", EXIT_ERROR
    if isinstance(error, ConnectionDoesNotExist):
        return "input", first_line(error), EXIT_ERROR
    if isinstance(error, HISTORY_ERRORS):
        return "input", f"migrations: {first_line(error)}", EXIT_ERROR
    if isinstance(error, ImproperlyConfigured):
        return "input", f"configuration: {first_line(error)}", EXIT_ERROR
    if isinstance(error, DatabaseError | InterfaceError):
        return "setup", f"database: {first_line(error)}", EXIT_ERROR
    return None


@contextlib.contextmanager
def command_errors(extra: Mapping[type[AmericanoError], int] | None = None) -> Iterator[None]:
    """Turn the library's errors, a broken migration graph, bad settings, an unknown
    database alias and database failures into one-line ``CommandError``s."""
    try:
        yield
    except BaseException as error:
        explained = explain(error, extra)
        if explained is None:
            raise
        _, message, code = explained
        raise CommandError(printable(message, one_line=True), returncode=code) from None
