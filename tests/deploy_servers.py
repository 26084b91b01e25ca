"""Servers the deployment tests start beside the test server: a PgBouncer in transaction
pooling mode in front of it, and an embedded-style PostgreSQL that archives its WAL."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.commandline import wait_for

PGBOUNCER_PORT = 6432  # only names the socket file, in a folder of its own


def _pgbouncer_program() -> str:
    found = shutil.which("pgbouncer") or shutil.which("pgbouncer", path="/usr/sbin")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's pgbouncer package is missing: .ci/run installs it")
        pytest.skip("no PgBouncer (apt-get install pgbouncer)")
    return found


def _run_as(host: str) -> str | None:
    """The user PgBouncer runs as: it refuses root; the owner of the server's socket folder
    can reach the socket (the embedded server's is private to its user)."""
    if os.geteuid() != 0:
        return None
    if host.startswith("/"):
        return Path(host).owner()
    return "nobody"


@pytest.fixture
def pgbouncer(django_db_blocker):
    """A PgBouncer with ``pool_mode = transaction`` in front of the test server; yields a
    function giving the URL of a database through it."""
    program = _pgbouncer_program()
    with django_db_blocker.unblock():
        params = connection.get_connection_params()
    host, user = str(params.get("host") or "localhost"), params.get("user") or "postgres"
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    server = f"host={host} port={params.get('port') or 5432} user={user}"
    if params.get("password"):
        server += f" password={params['password']}"
    (folder / "users.txt").write_text(f'"{user}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"[databases]\n* = {server}\n[pgbouncer]\nlisten_addr =\n"
        f"unix_socket_dir = {folder}\nlisten_port = {PGBOUNCER_PORT}\n"
        f"auth_type = trust\nauth_file = {folder / 'users.txt'}\npool_mode = transaction\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
    )
    owner = _run_as(host)
    if owner:
        shutil.chown(folder, owner)
        for path in folder.iterdir():
            shutil.chown(path, owner)
    process = subprocess.Popen(
        [program, str(folder / "pgbouncer.ini")],
        user=owner,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: (folder / f".s.PGSQL.{PGBOUNCER_PORT}").exists(), timeout=10)
        yield (
            lambda name: (
                f"postgresql://{quote(user)}@/{quote(name)}?host={quote(str(folder))}"
                f"&port={PGBOUNCER_PORT}"
            )
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def archiving_server():
    """A second embedded-style server (``pgserver``) with ``archive_mode = on``, archiving into
    a folder of its own: ``(url of its postgres database, archive folder)``. Stopped and removed
    afterwards."""
    import pgserver

    folder = Path(tempfile.mkdtemp(prefix="archiving-"))
    archive = folder / "archive"
    archive.mkdir()
    server = pgserver.get_server(folder / "pgdata", cleanup_mode=None)
    if server.system_user:  # root: the server runs as pgserver's own user
        shutil.chown(archive, server.system_user)
    url = server.get_uri(database="postgres")
    try:
        # archive_mode takes a restart: set it, then restart with pgserver's own pg_ctl.
        server.psql(
            "ALTER SYSTEM SET archive_mode = on;\n"
            f"ALTER SYSTEM SET archive_command = 'cp %p {archive}/%f';\n"
        )
        pgserver.pg_ctl(
            ["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user
        )
        time.sleep(0.2)
        yield url, archive
    finally:
        pgserver.pg_ctl(
            ["-w", "-m", "immediate", "stop"], pgdata=server.pgdata, user=server.system_user
        )
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
