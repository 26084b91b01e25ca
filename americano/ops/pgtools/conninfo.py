"""libpq connection parameters of one database, and how a child program gets them.

Built from Django's connection (or a URL), handed to the child as environment
variables; the password goes into a temporary PGPASSFILE readable only by its
owner, in a private folder named after this process and deleted afterwards
(``running.private_folder``), so it never appears on a command line, in the
process list or in an environment.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from americano.core.errors import InputError
from americano.ops.pgtools.programs import PgToolError
from americano.ops.pgtools.running import private_folder

#: Keys of Django's connection parameters that are psycopg's, not libpq's.
_NOT_LIBPQ = {"context", "cursor_factory", "prepare_threshold", "autocommit", "row_factory"}
#: Parameters the programs choose for themselves (pg_dump reads the database encoding).
_LEFT_TO_TOOL = {"client_encoding"}


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


def _write_private(path: os.PathLike[str], text: str) -> None:
    """Write the new file ``path``, readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)


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
        folder, removed on exit, swept by a later run if this process is
        killed), never into the environment itself; parameters that have no
        environment variable go into a temporary service file.
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
        with private_folder() as folder:
            if password is not None:
                env.pop("PGPASSWORD", None)
                _write_private(folder / "pgpass", f"*:*:*:*:{_passfile_escape(password)}\n")
                env["PGPASSFILE"] = str(folder / "pgpass")
            if extras:
                lines = "".join(f"{key}={value}\n" for key, value in extras.items())
                _write_private(folder / "pg_service.conf", "[americano]\n" + lines)
                env["PGSERVICEFILE"] = str(folder / "pg_service.conf")
                env["PGSERVICE"] = "americano"
            yield env
