"""Where shadow databases are built: on a server of the live server's PostgreSQL major version.

A shadow database is built from the migration history and its catalog compared
with the live database's (drift, adoption, the deployment hook). The catalog
text PostgreSQL writes (``pg_get_indexdef``, ``format_type``, defaults) differs
between major versions, so two servers of different majors would differ where
the schemas do not. The shadow server is therefore, in this order, the one
named by ``shadow_url``, by ``settings.AMERICANO_SHADOW_URL``, or the embedded
server (PostgreSQL 18); whichever it is, a major version other than the live
server's is refused, with a line that names both and says what to pass.
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.core.errors import SetupError
from americano.ops.databases import connection_for_url, describe, throwaway_database


class ShadowServerError(SetupError):
    """No shadow server of the live server's major version: nothing was built."""


@dataclass(frozen=True)
class Shadow:
    """An empty shadow database, and where it is (no password) for reports."""

    connection: BaseDatabaseWrapper
    server: str
    major: int


def major_version(connection: BaseDatabaseWrapper) -> int:
    """The PostgreSQL major version of ``connection``'s server (18 for 18.1)."""
    return connection.pg_version // 10000


def shadow_server(live: BaseDatabaseWrapper, shadow_url: str | None = None) -> BaseDatabaseWrapper:
    """A connection (not registered) to the server on which ``live``'s shadow is built: see the
    module. Refuses (``ShadowServerError``) a server of another major version than ``live``'s."""
    if shadow_url is not None:
        url, what = shadow_url, "--shadow-url"
    else:
        url, what = settings.AMERICANO_SHADOW_URL, "AMERICANO_SHADOW_URL"
    server = connection_for_url(url, what=what)
    live_major, server_major = major_version(live), major_version(server)
    if live_major != server_major:
        server.close()
        which = f"the shadow server ({describe(server)})" if url else "the embedded server"
        raise ShadowServerError(
            f"{which} is PostgreSQL {server_major} but the live server is PostgreSQL "
            f"{live_major}: their catalogs would differ; pass --shadow-url (or set "
            f"AMERICANO_SHADOW_URL) to a PostgreSQL {live_major} server with pgvector"
        )
    return server


@contextlib.contextmanager
def shadow_database(
    live: BaseDatabaseWrapper, shadow_url: str | None = None, purpose: str = "shadow"
) -> Iterator[Shadow]:
    """A new empty database on ``live``'s shadow server (:func:`shadow_server`), dropped on the
    way out, also after a failure."""
    server = shadow_server(live, shadow_url)
    try:
        where, major = describe(server), major_version(server)
        with throwaway_database(server, purpose) as connection:
            yield Shadow(connection, where, major)
    finally:
        server.close()
