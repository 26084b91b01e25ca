"""Where the database is: ``DATABASE_URL``, or the embedded server."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

ENGINE = "americano.db.backend"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")
EMBEDDED_DATABASE = "americano"


def redact_url(url: str) -> str:
    """``url`` with its password replaced by ``***``, fit to print or log, even when the
    URL is malformed (an unclosed IPv6 bracket, a port that is not a number)."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}{slash}{path}"


def database_settings(
    url: str | None,
    embedded_pgdata: Path,
    test_name: str | None = None,
    what: str = "DATABASE_URL",
) -> dict:
    """``DATABASES["default"]`` for ``url``, or for the embedded server if ``url`` is None.

    ``what`` names the URL in errors (``--shadow-url``, ...)."""
    if url:
        scheme = url.partition("://")[0] if "://" in url else ""
        if scheme not in POSTGRES_SCHEMES:
            raise ImproperlyConfigured(
                f"{what} must be a postgresql:// URL, not {scheme or 'a bare path'}://"
                f" ({redact_url(url)})"
            )
        try:
            settings = dj_database_url.parse(url, engine=ENGINE)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{what} is not a valid URL ({redact_url(url)}): {error}"
            ) from None
    else:
        settings = {
            "ENGINE": ENGINE,
            "NAME": EMBEDDED_DATABASE,
            "USER": "postgres",
            "EMBEDDED_PGDATA": str(embedded_pgdata),
        }
    settings["TEST"] = {"NAME": test_name or f"test_{settings['NAME']}"}
    return settings


def current_url() -> str | None:
    """``DATABASE_URL``, or None when it is not set (the embedded server). Set but empty is a
    mistake (``DATABASE_URL=$UNSET``), not a wish for the embedded server."""
    url = os.environ.get("DATABASE_URL")
    if url is not None and not url.strip():
        raise ImproperlyConfigured(
            "DATABASE_URL is set but empty: give a postgresql:// URL, or unset it to use the "
            "embedded server"
        )
    return url
