"""Fixtures shared by the whole suite.

Every test talks to real PostgreSQL: the embedded server unless DATABASE_URL
is set. pytest-django builds the test database with ``migrate``.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.dbutil import temporary_database

# Fixtures defined beside their helpers.
pytest_plugins = ["tests.deploy_servers", "tests.deploy_support"]


@pytest.fixture(scope="session", autouse=True)
def _the_test_database_always(django_db_setup):
    """Every test runs with the test database set up, so that no fixture that unblocks the
    database can reach the development database (pytest-django sets it up only for the
    first test that asks, and a module fixture may run before that)."""


@pytest.fixture
def scratch_database(django_db_blocker):
    """An empty database on the test server, dropped afterwards: ``(name, url, env)``."""
    with temporary_database("scratch", blocker=django_db_blocker) as database:
        yield database


@pytest.fixture(scope="session")
def history_db(django_db_setup, django_db_blocker):
    """A database built by ``manage.py migrate`` with checksums recorded: ``(name, url, env)``.

    Tests only read it; those that change a database change a ``clone`` of it.
    (Creating and dropping databases is what makes these tests slow.)
    """
    from tests.commandline import run_python
    from tests.status_support import RECORDING_MIGRATE

    with temporary_database("status_history", blocker=django_db_blocker) as (name, url, env):
        result = run_python(RECORDING_MIGRATE, env=env, DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        yield name, url, env


@pytest.fixture
def clone(history_db, django_db_blocker):
    """A fresh copy of the history database: ``(name, url, env)``, dropped afterwards."""
    with temporary_database("status_clone", history_db[0], django_db_blocker) as database:
        yield database


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
