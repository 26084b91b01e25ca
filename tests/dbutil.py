"""Reaching the test database from other processes (psql, pg_dump, the parity checker)."""

import contextlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from psycopg import sql as pgsql

from americano.db import embedded


def sql(statement, params=()):
    """Run ``statement`` on the test database; its rows, or None for a statement without any."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def create_database(name: str, template: str | None = None) -> None:
    """Create database ``name`` on the test server (a copy of ``template`` if given)."""
    statement = pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name))
    if template:
        statement += pgsql.SQL(" TEMPLATE {}").format(pgsql.Identifier(template))
    with connection._nodb_cursor() as cursor:
        cursor.execute(statement)


def drop_database(name: str) -> None:
    """Drop database ``name`` from the test server, closing its sessions."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(pgsql.Identifier(name))
        )


@contextlib.contextmanager
def temporary_database(
    prefix: str, template: str | None = None, blocker=None
) -> Iterator[tuple[str, str, dict]]:
    """A new database named ``prefix_<random>`` (a copy of ``template`` if given), dropped
    afterwards: ``(name, url, env)``. ``blocker``: pytest-django's ``django_db_blocker``, for
    fixtures that run outside a database test (only creating and dropping are unblocked)."""
    unblocked = blocker.unblock if blocker is not None else contextlib.nullcontext
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with unblocked():
        create_database(name, template=template)
    try:
        with unblocked():
            url, env = libpq_target(name)
        yield name, url, env
    finally:
        with unblocked():
            drop_database(name)


def database_exists(name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone()[0] == 1


def libpq_target(dbname: str | None = None) -> tuple[str, dict]:
    """A password-free libpq URL of the current database, and the env that authenticates it."""
    params = connection.get_connection_params()
    user = quote(params.get("user") or "")
    host = params.get("host") or ""
    port = params.get("port")
    name = quote(dbname or params["dbname"], safe="")
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = params["password"]
    if host.startswith("/"):
        url = f"postgresql://{user}@/{name}?host={quote(host)}" + (f"&port={port}" if port else "")
    else:
        url = f"postgresql://{user}@{host}{f':{port}' if port else ''}/{name}"
    return url, env


def pg_program(name: str) -> str:
    """A PostgreSQL client program: the embedded server's (as new as the server)."""
    path = Path(embedded.bin_dir()) / name
    return str(path) if path.exists() else shutil.which(name)


def run_psql(url: str, env: dict, *commands: str) -> str:
    args = [pg_program("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url]
    for command in commands:
        args += ["-c", command]
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout


def _test_app_tables() -> list[str]:
    from django.apps import apps
    from django.conf import settings

    return [
        model._meta.db_table
        for label in getattr(settings, "TEST_APPS", [])
        for model in apps.get_app_config(label.rpartition(".")[2]).get_models()
    ]


def schema_dump(url: str, env: dict) -> list[str]:
    """``pg_dump -s`` of schema public without the tables of Django, of the project's
    bookkeeping and of test-only apps; session tokens dropped."""
    excluded = ["django_*", "auth_*", "americano_*", *_test_app_tables()]
    out = subprocess.run(
        [
            pg_program("pg_dump"),
            "-s",
            "--no-owner",
            "-n",
            "public",
            *(arg for table in excluded for arg in ("-T", table)),
            url,
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        line for line in out.splitlines() if not line.startswith(("\\restrict", "\\unrestrict"))
    ]
