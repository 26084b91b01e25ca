"""Which pg_dump, pg_restore or psql to run: found, versioned, refused when too old.

The program named by ``PG_DUMP`` / ``PG_RESTORE`` / ``PSQL``, else the first one
new enough among the one beside an explicitly named one, the one on ``PATH`` and
the one shipped with the embedded server (PostgreSQL 18, which can dump any
server up to 18). A program older than what it must read is refused, because an
old pg_dump cannot dump a newer server and an old pg_restore cannot read a newer
archive.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from americano.core.errors import SetupError

#: The environment variable that names each program explicitly.
TOOL_ENV_VARS = {"pg_dump": "PG_DUMP", "pg_restore": "PG_RESTORE", "psql": "PSQL"}

_VERSION_RE = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


class PgToolError(SetupError):
    """A client program is missing, too old, or failed; or the server cannot be reached."""


class PgToolFailed(PgToolError):
    """A client program ran and exited with an error: what it read or wrote may be at fault,
    not the environment (a corrupt archive makes pg_restore fail)."""


@dataclass(frozen=True)
class PgTool:
    """One client program, with its version and where it was found."""

    name: str
    path: str
    version: str
    major: int
    source: str

    def describe(self) -> str:
        return f"{self.name} {self.version} ({self.path}, {self.source})"

    def as_dict(self) -> dict[str, str]:
        """The program in a report: which one, and why it was chosen."""
        return {"version": self.version, "path": self.path, "source": self.source}


@functools.cache
def tool_version(path: str) -> tuple[str, int]:
    """``("18.3", 18)`` for the program at ``path``, from its ``--version``."""
    try:
        result = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as error:
        raise PgToolError(f"cannot run {path}: {error.strerror or error}") from error
    except subprocess.TimeoutExpired as error:
        raise PgToolError(f"{path} --version did not answer") from error
    match = _VERSION_RE.search(result.stdout)
    if result.returncode != 0 or not match:
        raise PgToolError(f"{path} is not a PostgreSQL client program ({result.stdout.strip()!r})")
    major, minor = match.group(1), match.group(2)
    return (f"{major}.{minor}" if minor is not None else major), int(major)


def embedded_bin_dir() -> Path | None:
    """The programs shipped with the embedded server, if pgserver is installed."""
    try:
        from americano.db.embedded import bin_dir

        folder = bin_dir()
    except ImportError:
        return None
    return folder if folder.is_dir() else None


def _candidates(name: str) -> Iterator[tuple[str, str]]:
    """``(source, path)`` of each copy of ``name``, in order of preference."""
    seen: set[str] = set()

    def fresh(path: str | Path | None) -> bool:
        if not path or not Path(path).is_file():
            return False
        key = os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for tool, variable in TOOL_ENV_VARS.items():
        explicit = os.environ.get(variable)
        if tool != name and explicit:
            sibling = Path(explicit).parent / name
            if fresh(sibling):
                yield f"beside {variable}", str(sibling)
    on_path = shutil.which(name)
    if fresh(on_path):
        yield "PATH", str(on_path)
    folder = embedded_bin_dir()
    if folder is not None and fresh(folder / name):
        yield "embedded server", str(folder / name)


def find_tool(name: str, minimum_major: int | None = None, needed_for: str = "") -> PgTool:
    """The ``name`` program to use: the first at least ``minimum_major``, else the newest.

    ``needed_for`` says why the minimum, for the refusal message
    (e.g. "the server (PostgreSQL 18.3)").
    """
    why = needed_for or f"version {minimum_major}"
    variable = TOOL_ENV_VARS.get(name)
    explicit = os.environ.get(variable) if variable else None
    if explicit:
        path = shutil.which(explicit) or explicit
        if not Path(path).is_file():
            raise PgToolError(f"{variable}={explicit} does not name a program")
        version, major = tool_version(path)
        if minimum_major is not None and major < minimum_major:
            raise PgToolError(
                f"{name} {version} ({path}, from {variable}) is older than {why}: "
                f"set {variable} to a {name} {minimum_major} or newer"
            )
        return PgTool(name, path, version, major, variable)
    found = []
    usable = []
    for source, path in _candidates(name):
        try:
            version, major = tool_version(path)
        except PgToolError:
            continue
        if minimum_major is not None and major >= minimum_major:
            return PgTool(name, path, version, major, source)
        usable.append(PgTool(name, path, version, major, source))
        found.append(f"{name} {version} ({path})")
    if not found:
        raise PgToolError(f"{name} not found: install the PostgreSQL client or set {variable}")
    if minimum_major is None:
        # Nothing says how new it must be: the newest reads every archive the others can.
        return max(usable, key=lambda tool: tool.major)
    raise PgToolError(
        f"{', '.join(found)} is older than {why}: install {name} {minimum_major} or newer, "
        f"or set {variable}"
    )


def sibling_tool(tool: PgTool, name: str) -> PgTool | None:
    """The program ``name`` from the same folder as ``tool``, if there is one."""
    path = Path(tool.path).parent / name
    if not path.is_file():
        return None
    try:
        version, major = tool_version(str(path))
    except PgToolError:
        return None
    return PgTool(name, str(path), version, major, f"beside {tool.name}")
