"""Fixtures shared by the whole suite.

Every test talks to real PostgreSQL: the embedded server unless DATABASE_URL
is set. pytest-django builds the test database with ``migrate``.
"""

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.dbutil import libpq_target


@pytest.fixture
def scratch_database(django_db_blocker):
    """An empty database on the test server, dropped afterwards: ``(name, url, env)``."""
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        with django_db_blocker.unblock():
            url, env = libpq_target(name)
        yield name, url, env
    finally:
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _system_initdb() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1] if found else None


@pytest.fixture(scope="session")
def plain_postgres():
    """A throwaway server of the system's PostgreSQL, which has no pgvector.

    Debian's ``postgresql`` package; ``.ci/run`` installs it. Yields its URL.
    """
    initdb = _system_initdb()
    if initdb is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's postgresql package is missing: .ci/run installs it")
        pytest.skip("no system PostgreSQL (apt-get install postgresql)")
    # Not under pytest's tmp dir: that is private to root, and the server is not root.
    data = Path(tempfile.mkdtemp(prefix="plain-postgres-"))
    as_user = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(data, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    bin_dir = initdb.parent
    subprocess.run(
        [*as_user, str(initdb), "-D", str(data / "db"), "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data / "db"),
            "-w",
            "-l",
            str(data / "log"),
            "-o",
            f"-k {data} -h ''",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@/postgres?host={data}"
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "stop"],
            capture_output=True,
        )
