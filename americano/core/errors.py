"""The library's errors, by what they mean to the person who ran the command.

Library code (``americano.db``, ``americano.ops``) raises these and never
Django's ``CommandError``: whether a problem is the caller's input, the
environment, or a finding of the work itself is the library's knowledge; which
exit code and how many lines of text that becomes is the management layer's
(``americano.management.errors``).

Messages are one line and never hold a password.
"""


class AmericanoError(Exception):
    """Base of the project's errors: the work was not done, or not all of it."""


class InputError(AmericanoError):
    """What was asked cannot be done as asked: an unknown name, a bad value or combination,
    a file that is not what it should be, a refusal to do something destructive."""


class RefusedError(InputError):
    """A destructive action refused by a guard (production, a database that is not empty)."""


class SetupError(AmericanoError):
    """The environment cannot do the work: the server is unreachable or unsuitable, a
    program is missing or too old, a folder cannot be written."""


class FindingError(AmericanoError):
    """The work ran and found something wrong: a backup that fails verification, a batch
    that failed for good, work left unfinished, a migration that failed."""


def one_line(error: BaseException | str) -> str:
    """The first non-empty line of ``error``: PostgreSQL adds DETAIL and CONTEXT lines that
    neither stderr nor a checkpoint row should carry."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if lines:
        return lines[0]
    return error if isinstance(error, str) else type(error).__name__


def first_line(error: BaseException) -> str:
    """The first one or two non-empty lines of ``error``, joined: fit for one line of output."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return "; ".join(lines[:2]) if lines else type(error).__name__
