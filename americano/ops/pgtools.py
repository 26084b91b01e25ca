"""PostgreSQL's client programs (pg_dump, pg_restore, psql): finding them and running them.

Which program: the one named by ``PG_DUMP`` / ``PG_RESTORE`` / ``PSQL``, else the
first one new enough among the one beside an explicitly named one, the one on
``PATH`` and the one shipped with the embedded server (PostgreSQL 18, which can
dump any server up to 18). A program older than what it must read is refused,
because an old pg_dump cannot dump a newer server and an old pg_restore cannot
read a newer archive.

How it connects: with libpq parameters built from Django's connection (or a URL),
handed to the child as environment variables; the password goes into a
temporary PGPASSFILE readable only by its owner and deleted afterwards, so it
never appears on a command line, in the process list or in an environment.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlencode, urlsplit

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from americano.core import progress
from americano.core.errors import InputError, SetupError

#: The environment variable that names each program explicitly.
TOOL_ENV_VARS = {"pg_dump": "PG_DUMP", "pg_restore": "PG_RESTORE", "psql": "PSQL"}

#: Keys of Django's connection parameters that are psycopg's, not libpq's.
_NOT_LIBPQ = {"context", "cursor_factory", "prepare_threshold", "autocommit", "row_factory"}
#: Parameters the programs choose for themselves (pg_dump reads the database encoding).
_LEFT_TO_TOOL = {"client_encoding"}

_VERSION_RE = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


class PgToolError(SetupError):
    """A client program is missing, too old, or failed; or the server cannot be reached."""


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


@functools.cache
def _libpq_options() -> dict[str, tuple[str | None, bool]]:
    """libpq keyword -> (environment variable or None, is it a secret)."""
    options = {}
    for option in pq.Conninfo.get_defaults():
        keyword = option.keyword.decode()
        envvar = option.envvar.decode() if option.envvar else None
        options[keyword] = (envvar, option.dispchar == b"*")
    return options


def _passfile_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


@dataclass(frozen=True)
class ConnInfo:
    """libpq connection parameters of one database (the password is kept but never shown)."""

    params: Mapping[str, str] = field(repr=False)

    @classmethod
    def from_django(cls, connection: Any) -> ConnInfo:
        """The parameters Django connects with (for the embedded server: its socket folder)."""
        raw = connection.get_connection_params()
        params = {
            key: str(value)
            for key, value in raw.items()
            if key not in _NOT_LIBPQ and key not in _LEFT_TO_TOOL and value is not None
        }
        return cls(params)

    @classmethod
    def from_url(cls, url: str) -> ConnInfo:
        """The parameters of a ``postgresql://`` URL (or libpq conninfo string)."""
        if url.startswith("pgsql://"):  # accepted by the settings, unknown to libpq
            url = "postgresql://" + url.removeprefix("pgsql://")
        try:
            params = conninfo_to_dict(url)
        except psycopg.ProgrammingError as error:
            reason = str(error).splitlines()[0]
            with contextlib.suppress(ValueError):  # libpq may quote the URL, password included
                secret = urlsplit(url).password
                if secret:
                    reason = reason.replace(secret, "***").replace(quote(secret, safe=""), "***")
            raise InputError(f"not a valid database URL: {reason}") from None
        return cls({k: str(v) for k, v in params.items() if k not in _LEFT_TO_TOOL})

    @property
    def dbname(self) -> str:
        return self.params.get("dbname", "")

    @property
    def password(self) -> str | None:
        return self.params.get("password") or None

    def with_dbname(self, name: str) -> ConnInfo:
        """The same server and credentials, another database."""
        return ConnInfo({**self.params, "dbname": name})

    def public(self) -> dict[str, str]:
        """The parameters without secrets, fit for a manifest or a report."""
        options = _libpq_options()
        return {
            key: value
            for key, value in self.params.items()
            if not options.get(key, (None, False))[1] and key != "passfile"
        }

    def display(self) -> str:
        """A ``postgresql://`` URL for humans, never with the password."""
        public = self.public()
        user = quote(public.pop("user", ""), safe="")
        host = public.pop("host", "")
        port = public.pop("port", "")
        dbname = quote(public.pop("dbname", ""), safe="")
        query = {}
        if host.startswith("/") or "," in host:
            query["host"] = host
            netloc = ""
        else:
            netloc = host
        if port:
            netloc += f":{port}"
        if user:
            netloc = f"{user}@{netloc}"
        query.update(public)
        suffix = f"?{urlencode(query, safe='/')}" if query else ""
        return f"postgresql://{netloc}/{dbname}{suffix}"

    def scrub(self, text: str) -> str:
        """``text`` with every secret of these parameters replaced by ``***``."""
        options = _libpq_options()
        for key, value in self.params.items():
            if value and (key == "password" or options.get(key, (None, False))[1]):
                text = text.replace(value, "***")
        return text

    def connect(self, autocommit: bool = True, **extra: Any) -> psycopg.Connection:
        """A new psycopg connection; errors name the database, never the password."""
        try:
            return psycopg.connect(**self.params, autocommit=autocommit, **extra)
        except psycopg.Error as error:
            lines = [line.strip() for line in str(error).splitlines() if line.strip()]
            reason = self.scrub(lines[-1] if lines else type(error).__name__)
            raise PgToolError(f"cannot connect to {self.display()}: {reason}") from None

    def dbname_arg(self) -> str:
        """``--dbname=...`` for a client program: the database name only, safely quoted."""
        return f"--dbname={make_conninfo(dbname=self.dbname)}"

    @contextlib.contextmanager
    def child_env(self) -> Iterator[dict[str, str]]:
        """The environment of a child program connecting with these parameters.

        The password goes into a temporary PGPASSFILE (mode 0600 in a private
        folder, removed on exit), never into the environment itself; parameters
        that have no environment variable go into a temporary service file.
        """
        options = _libpq_options()
        env = dict(os.environ)
        extras: dict[str, str] = {}
        password = None
        for key, value in self.params.items():
            envvar, secret = options.get(key, (None, False))
            if key == "password":
                password = value
            elif envvar and not secret:
                env[envvar] = value
            else:
                extras[key] = value
        if extras and "service" in self.params:
            raise PgToolError(
                "connection options " + ", ".join(sorted(extras)) + " cannot be combined with a "
                "libpq service for the client programs"
            )
        folder = Path(tempfile.mkdtemp(prefix="americano-pg-"))
        try:
            if password is not None:
                env.pop("PGPASSWORD", None)
                passfile = folder / "pgpass"
                descriptor = os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(f"*:*:*:*:{_passfile_escape(password)}\n")
                env["PGPASSFILE"] = str(passfile)
            if extras:
                service = folder / "pg_service.conf"
                descriptor = os.open(service, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "w") as handle:
                    handle.write("[americano]\n")
                    handle.writelines(f"{key}={value}\n" for key, value in extras.items())
                env["PGSERVICEFILE"] = str(service)
                env["PGSERVICE"] = "americano"
            yield env
        finally:
            shutil.rmtree(folder, ignore_errors=True)


class ToolRun:
    """A running client program whose stderr is read line by line in the background.

    ``on_line`` sees every stderr line (for progress), in the context of the
    thread that started the program (so its progress reports reach the same
    sink); the last lines are kept to explain a failure.
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
            )
        except OSError as error:
            raise PgToolError(f"cannot run {tool.path}: {error.strerror or error}") from error
        self._reader = threading.Thread(target=progress.in_current_context(self._read), daemon=True)
        self._reader.start()

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
        returncode = self.process.wait()
        self._reader.join()
        return returncode

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.wait()

    def errors(self) -> str:
        """The tool's own explanation of a failure, in one line."""
        important = [
            line for line in self.lines if re.search(r"\b(error|ERROR|FATAL|fatal|PANIC):", line)
        ]
        chosen = important[:2] or list(self.lines)[-2:]
        return (
            "; ".join(line.strip() for line in chosen) or f"exit status {self.process.returncode}"
        )

    def check(self, what: str) -> None:
        """Wait, and raise PgToolError if the program failed."""
        if self.wait() != 0:
            raise PgToolError(f"{what} failed: {self.errors()}")


def run_tool(
    tool: PgTool,
    args: list[str],
    conn: ConnInfo | None = None,
    *,
    what: str | None = None,
    on_line: Callable[[str], None] | None = None,
) -> str:
    """Run ``tool`` to completion and return its stdout; raise PgToolError on failure."""
    with contextlib.ExitStack() as stack:
        env = stack.enter_context(conn.child_env()) if conn is not None else dict(os.environ)
        scrub = conn.scrub if conn is not None else (lambda text: text)
        output = stack.enter_context(tempfile.TemporaryFile())
        run = ToolRun(tool, args, env, stdout=output, on_line=on_line, scrub=scrub)
        run.check(what or tool.name)
        output.seek(0)
        return scrub(output.read().decode("utf-8", "replace"))
