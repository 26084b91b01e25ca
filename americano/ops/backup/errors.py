"""The backup library's errors: a family of their own, each also an error by meaning.

``except BackupError`` catches every one of them; the management layer reads
their meaning from the project's bases: a corrupt archive is a finding (exit 1),
a refused target or a bad label is the caller's input, a failing program, server
or file system is the environment, an interrupted run says what it left (exit 2).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from americano.core import interrupts
from americano.core.errors import (
    AmericanoError,
    FindingError,
    InputError,
    RefusedError,
    SetupError,
)
from americano.core.interrupts import InterruptedWork

if TYPE_CHECKING:
    from americano.ops.backup.contents import TargetContents


class BackupError(AmericanoError):
    """A backup, verification or restore could not be carried out."""


class BackupInputError(BackupError, InputError):
    """What was asked cannot be done as asked: a bad label, path or combination."""


class BackupFailed(BackupError, SetupError):
    """A client program, the server or the file system failed the work."""


class RestoreFailed(BackupFailed):
    """pg_restore or psql ran and failed: the restore's transaction was rolled back."""


class RestoreLocked(BackupFailed):
    """Another restore into the same database held its lock for longer than the wait allowed."""


class BackupInterrupted(BackupError, InterruptedWork):
    """SIGINT, SIGTERM or SIGHUP ended the work; the message says what was left and how."""


def on_interrupt(what_was_left: str) -> contextlib.AbstractContextManager[None]:
    """An interruption inside the block becomes BackupInterrupted saying ``what_was_left``."""
    return interrupts.on_interrupt(what_was_left, BackupInterrupted)


class ManifestError(BackupError, FindingError):
    """A manifest is missing, unreadable, or not one this code reads.

    ``brief`` says it in two or three words, for a listing of many backups.
    """

    def __init__(self, message: str, brief: str | None = None) -> None:
        super().__init__(message)
        self.brief = brief or message


class BackupCorrupt(BackupError, FindingError):
    """An archive failed verification, so it is not restored."""

    def __init__(self, path: Path, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = list(problems)
        super().__init__(f"{path} failed verification: {'; '.join(self.problems)}")


class TargetNotEmpty(BackupError, RefusedError):
    """The target database has tables and ``force`` was not given."""

    def __init__(self, target: str, contents: TargetContents) -> None:
        self.contents = contents
        sample = ", ".join(contents.relations[:5])
        more = f" and {len(contents.relations) - 5} more" if len(contents.relations) > 5 else ""
        super().__init__(
            f"{target} is not empty ({contents.summary()}: {sample}{more}); pass --force to drop "
            "them, or --target-url an empty database"
        )
