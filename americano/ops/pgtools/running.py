"""Running client programs so that nothing is left behind, even when this process is killed.

* A child dies with this process: on Linux each is started with
  ``PR_SET_PDEATHSIG`` = SIGKILL, so a SIGKILLed ``backup`` takes its pg_dump
  with it (and a killed psql ends its session, whose transaction the server
  rolls back). The signal follows the *thread* that started the child, which
  here always waits for it.
* Files a child needs (the password file) live in a private folder named
  ``americano-pg-<pid>-*`` in the temporary folder. It is removed on the way out;
  if this process is killed before that, the next run removes the folders whose
  owner pid is no longer alive (:func:`sweep_leftovers`).
* An interruption (``americano.core.interrupts``: SIGTERM and SIGHUP, like
  SIGINT, raise ``KeyboardInterrupt``) unwinds through ``finally`` blocks that
  stop the children and remove the files; a signal that arrives during such a
  cleanup waits for its end (``deferred_interrupts``).
* A failure is explained by the program's first error line, without the
  CONTEXT/DETAIL lines that quote rows (personal data) and at most
  :data:`MAX_ERROR_CHARS` long.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO

from americano.core import progress
from americano.core.interrupts import deferred_interrupts
from americano.ops.pgtools.programs import PgTool, PgToolError, PgToolFailed

#: The private folders of this module: ``americano-pg-<owner pid>-<random>``.
FOLDER_PREFIX = "americano-pg-"
#: Seconds a stopped child gets to end after SIGTERM before it is killed.
STOP_GRACE = 5.0
#: The longest explanation of a failure taken from a program's output.
MAX_ERROR_CHARS = 300

_PR_SET_PDEATHSIG = 1
_ERROR_LINE = re.compile(r"\b(error|ERROR|FATAL|fatal|PANIC):")
#: Lines of a server error that quote the statement or the row (data, perhaps personal).
_QUOTING_LINE = re.compile(r"^\s*(CONTEXT|DETAIL|HINT|QUERY|STATEMENT|LINE \d+|Command was):")


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_prctl = _load_prctl()


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child die (SIGKILL) when this process does."""
    prctl = _prctl
    if prctl is None:
        return None
    parent = os.getpid()
    kill = int(signal.SIGKILL)

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, kill)
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)

    return preexec


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def sweep_leftovers() -> None:
    """Remove the private folders (and the password files in them) of this user's processes
    that died without removing them: killed with SIGKILL, or by the machine going down."""
    try:
        folders = list(Path(tempfile.gettempdir()).glob(FOLDER_PREFIX + "*"))
    except OSError:  # no usable temporary folder: nothing can have been left in one
        return
    for folder in folders:
        pid, dash, _ = folder.name.removeprefix(FOLDER_PREFIX).partition("-")
        if not (dash and pid.isdigit()):
            continue
        try:
            info = folder.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def private_folder() -> Iterator[Path]:
    """A new folder only this user can read, removed on the way out (see the module)."""
    sweep_leftovers()
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
    except OSError as error:
        raise PgToolError(
            f"cannot create a private folder for the password file: {error.strerror or error} "
            "(set TMPDIR to a writable folder)"
        ) from None
    try:
        yield folder
    finally:
        with deferred_interrupts():
            shutil.rmtree(folder, ignore_errors=True)


def _shortened(line: str) -> str:
    line = line.strip()
    return line if len(line) <= MAX_ERROR_CHARS else line[: MAX_ERROR_CHARS - 1] + "…"


class ToolRun:
    """A running client program whose stderr is read line by line in the background.

    ``on_line`` sees every stderr line (for progress), in the context of the
    thread that started the program (so its progress reports reach the same
    sink); the last lines are kept to explain a failure. Used as a context
    manager, the program is stopped on the way out if it still runs.
    """

    def __init__(
        self,
        tool: PgTool,
        args: list[str],
        env: Mapping[str, str],
        *,
        stdin: IO[bytes] | int | None = subprocess.DEVNULL,
        stdout: IO[bytes] | int | None = subprocess.DEVNULL,
        on_line: Callable[[str], None] | None = None,
        scrub: Callable[[str], str] = lambda text: text,
    ) -> None:
        self.tool = tool
        self.scrub = scrub
        self.lines: collections.deque[str] = collections.deque(maxlen=200)
        self.on_line = on_line
        try:
            self.process = subprocess.Popen(
                [tool.path, *args],
                stdin=stdin,
                stdout=stdout,
                stderr=subprocess.PIPE,
                env=dict(env),
                preexec_fn=_die_with_parent(),  # only a prctl call: safe beside threads
            )
        except OSError as error:
            raise PgToolError(f"cannot run {tool.path}: {error.strerror or error}") from error
        self._reader = threading.Thread(target=progress.in_current_context(self._read), daemon=True)
        self._reader.start()

    def __enter__(self) -> ToolRun:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            line = self.scrub(raw.decode("utf-8", "replace").rstrip("\n"))
            self.lines.append(line)
            if self.on_line is not None:
                with contextlib.suppress(Exception):  # a progress display must not kill a dump
                    self.on_line(line)

    @property
    def stdout(self) -> IO[bytes] | None:
        return self.process.stdout

    def wait(self) -> int:
        """Wait for the program to end; if the wait is interrupted, stop it first."""
        try:
            returncode = self.process.wait()
        except BaseException:
            self.stop()
            raise
        self._reader.join()
        return returncode

    def stop(self) -> None:
        """End the program if it still runs: SIGTERM, then SIGKILL after a grace period."""
        with deferred_interrupts():
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=STOP_GRACE)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self._reader.join(timeout=STOP_GRACE)

    def errors(self) -> str:
        """The program's own explanation of a failure: its first error line, short, without
        the lines that quote statements or rows."""
        said = [line for line in self.lines if line.strip() and not _QUOTING_LINE.match(line)]
        errors = [line for line in said if _ERROR_LINE.search(line)]
        chosen = errors[0] if errors else said[-1] if said else ""
        return _shortened(chosen) or f"exit status {self.process.returncode}"

    def check(self, what: str) -> None:
        """Wait, and raise PgToolFailed if the program failed."""
        if self.wait() != 0:
            raise PgToolFailed(f"{what} failed: {self.errors()}")


def run_tool(tool: PgTool, args: list[str], *, what: str | None = None) -> str:
    """Run ``tool`` (no connection) to completion and return its stdout; PgToolFailed if it
    fails."""
    with ToolRun(tool, args, os.environ, stdout=subprocess.PIPE) as run:
        assert run.stdout is not None
        output = run.stdout.read()
        run.check(what or tool.name)
    return output.decode("utf-8", "replace")
