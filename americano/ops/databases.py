"""How library code gets and names its database: one convention for the whole library.

Every library function takes the Django connection it works on
(``BaseDatabaseWrapper``), never an alias, a URL or the global ``connection``.
Commands turn what the user gave into a connection here: an alias of the
settings (:func:`connection_for_alias`) or a URL (:func:`connection_for_url`).
Client programs (pg_dump, psql) get the same parameters through
``pgtools.ConnInfo.from_django``.

Also here, once: naming a database without its password (:func:`describe`),
and databases made for one job and always dropped (:func:`throwaway_database`:
the drift shadow, the backup restore test).
"""

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler, load_backend
from psycopg import sql

from americano.core.errors import InputError, SetupError, one_line
from americano.core.interrupts import deferred_interrupts
from americano.db.config import database_settings
from americano.ops.pgtools import ConnInfo, PgToolError


def connection_for_alias(alias: str = DEFAULT_DB_ALIAS) -> BaseDatabaseWrapper:
    """The connection of ``alias`` in ``settings.DATABASES``; an unknown alias is an input error."""
    if alias not in settings.DATABASES:
        known = ", ".join(sorted(settings.DATABASES))
        raise InputError(f"no database alias {alias!r} (configured: {known})")
    return connections[alias]


def embedded_pgdata(connection: BaseDatabaseWrapper | None = None) -> Path:
    """The data folder of the embedded server: ``connection``'s, else the project's."""
    pgdata = connection.settings_dict.get("EMBEDDED_PGDATA") if connection else None
    return Path(pgdata or Path(settings.BASE_DIR) / ".pgdata")


def connection_for_url(
    url: str | None, alias: str = DEFAULT_DB_ALIAS, what: str = "the database URL"
) -> BaseDatabaseWrapper:
    """A new connection (not registered in ``connections``) to ``url``; with no URL, to the
    embedded server. ``what`` names the URL in errors (e.g. ``--shadow-url``)."""
    if url is not None and not url.strip():
        raise InputError(f"{what} is empty: give a postgresql:// URL or leave it out")
    try:
        configured = database_settings(url, embedded_pgdata(), what=what)
    except ImproperlyConfigured as error:
        raise InputError(str(error)) from None
    if url is not None:
        ConnInfo.from_url(url)  # what libpq refuses (a bad %-escape), refused here, in one line
    configured = ConnectionHandler().configure_settings({alias: configured})[alias]
    return load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)


def describe(connection: BaseDatabaseWrapper) -> str:
    """Where ``connection`` points, without its password: for reports and messages."""
    settings_dict = connection.settings_dict
    if settings_dict.get("EMBEDDED_PGDATA"):
        return f"embedded:{settings_dict['EMBEDDED_PGDATA']}/{settings_dict['NAME']}"
    return ConnInfo.from_django(connection).display()


def _create(server: ConnInfo, name: str) -> None:
    """Create database ``name`` like the server's own: same encoding and locale (a restore
    into it then meets the original's conditions), else with the server's defaults."""
    identifier = sql.Identifier(name)
    with server.connect() as db:
        encoding, collate, ctype = db.execute(
            "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database"
            " WHERE datname = current_database()"
        ).fetchone()
        try:
            db.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}"
                ).format(
                    identifier, sql.Literal(encoding), sql.Literal(collate), sql.Literal(ctype)
                )
            )
        except psycopg.errors.InsufficientPrivilege as error:
            raise SetupError(
                f"cannot create a database on {server.display()}: {error}".splitlines()[0]
            ) from None
        except psycopg.Error:
            db.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(identifier))


def _drop(server: ConnInfo, name: str) -> None:
    with server.connect() as db:
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def throwaway_database(
    server: BaseDatabaseWrapper, purpose: str, alias: str = DEFAULT_DB_ALIAS
) -> Iterator[BaseDatabaseWrapper]:
    """A connection to a new empty database on ``server``'s server, dropped on the way out,
    also after a failure. Its name says what it is for and which process made it."""
    name = f"americano_{purpose}_{os.getpid()}_{secrets.token_hex(4)}"[:63]
    server.ensure_connection()  # the embedded server starts, and makes its database, here
    conninfo = ConnInfo.from_django(server)
    database = load_backend(server.settings_dict["ENGINE"]).DatabaseWrapper(
        {**server.settings_dict, "NAME": name}, alias
    )
    try:
        with deferred_interrupts():  # a signal must not leave a database made and not dropped
            _create(conninfo, name)
        yield database
    except BaseException as failure:
        with deferred_interrupts():
            database.close()
            left = _drop_quietly(conninfo, name, purpose)
        if left:
            failure.add_note(left)  # the failure stays the one line; the leak is in the note
        raise
    with deferred_interrupts():
        database.close()
        left = _drop_quietly(conninfo, name, purpose)
    if left:
        raise SetupError(left)


def _drop_quietly(server: ConnInfo, name: str, purpose: str) -> str | None:
    """Drop database ``name``; what to tell the user if it could not be dropped."""
    try:
        _drop(server, name)
    except (psycopg.Error, PgToolError) as error:
        return f"could not drop the {purpose} database {name}: {one_line(error)}; drop it by hand"
    return None
