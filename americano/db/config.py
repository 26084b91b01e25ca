"""Where the database is: ``DATABASE_URL``, or the embedded server."""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

ENGINE = "americano.db.backend"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")
EMBEDDED_DATABASE = "americano"


def redact_url(url: str) -> str:
    """``url`` with its password replaced by ``***``, fit to print or log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def database_settings(url: str | None, embedded_pgdata: Path, test_name: str | None = None) -> dict:
    """``DATABASES["default"]`` for ``url``, or for the embedded server if ``url`` is empty."""
    if url:
        scheme = urlsplit(url).scheme
        if scheme not in POSTGRES_SCHEMES:
            raise ImproperlyConfigured(
                f"DATABASE_URL must be a postgresql:// URL, not {scheme or 'a bare path'}://"
                f" ({redact_url(url)})"
            )
        settings = dj_database_url.parse(url, engine=ENGINE)
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
    return os.environ.get("DATABASE_URL") or None
