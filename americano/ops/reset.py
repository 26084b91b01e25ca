"""Resetting a database (drop and recreate): for development databases only.

The migrations guide (``database-migrations-guide.md``) never resets production.
A reset is refused when ``AMERICANO_ENV`` is production or staging, or when the database
is not the embedded development server, unless the operator names the
database explicitly (``--allow-reset NAME``): a flag that cannot be passed by
habit, because it must match the database about to be destroyed.
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

from americano.core.environment import current_environment

GUARDED_ENVIRONMENTS = ("production", "staging")


def reset_refusal(settings_dict: dict, allow_reset: str | None = None) -> str | None:
    """Why resetting this database is refused, in one line; None when it may go ahead."""
    name = settings_dict["NAME"]
    if allow_reset is not None and allow_reset != name:
        return f"refusing to reset: --allow-reset names {allow_reset!r}, the database is {name!r}"
    risks = []
    environment = current_environment()
    if environment in GUARDED_ENVIRONMENTS:
        risks.append(f"AMERICANO_ENV is {environment}")
    if not settings_dict.get("EMBEDDED_PGDATA"):
        risks.append("it is not the embedded development database")
    if risks and allow_reset != name:
        return (
            f"refusing to reset database {name!r}: {' and '.join(risks)}"
            f" (pass --allow-reset {name} if you mean it)"
        )
    return None


def reset_database(connection: BaseDatabaseWrapper) -> None:
    """Drop the connection's database (closing its sessions) and create it empty."""
    name = sql.Identifier(connection.settings_dict["NAME"])
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
