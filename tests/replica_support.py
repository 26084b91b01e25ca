"""A real streaming replica, to measure real replication lag.

A throwaway primary (``initdb`` of the embedded server's PostgreSQL) and a standby made
from it with ``pg_basebackup -R``, each on a Unix socket of its own folder. Pausing
replay on the standby (``pg_wal_replay_pause()``) while the primary commits makes the
lag grow, as a standby that cannot keep up would: the standby's
``now() - pg_last_xact_replay_timestamp()`` and the primary's
``pg_stat_replication.replay_lag`` both show it. About a second to set up.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from americano.db import embedded


@dataclass(frozen=True)
class Replication:
    """The primary and its standby, as URLs and as ways to make the standby fall behind."""

    primary_url: str
    replica_url: str
    primary_socket: Path
    replica_socket: Path

    def _execute(self, socket: Path, statement: str) -> None:
        with psycopg.connect(
            host=str(socket), dbname="postgres", user="postgres", autocommit=True
        ) as conn:
            conn.execute(statement)

    def commit_on_primary(self) -> None:
        """One small committed transaction on the primary: WAL for the standby to replay."""
        self._execute(self.primary_socket, "INSERT INTO heartbeat VALUES (now())")

    def pause_replay(self) -> None:
        """Stop replay on the standby (once it says so), then commit on the primary: WAL
        received and not replayed, whose lag grows from then on."""
        with psycopg.connect(
            host=str(self.replica_socket), dbname="postgres", user="postgres", autocommit=True
        ) as replica:
            replica.execute("SELECT pg_wal_replay_pause()")
            state = "SELECT pg_get_wal_replay_pause_state()"
            while replica.execute(state).fetchone() != ("paused",):
                self.commit_on_primary()  # a pause takes effect at the next record replayed
                time.sleep(0.01)
        self.commit_on_primary()

    def resume_replay(self) -> None:
        self._execute(self.replica_socket, "SELECT pg_wal_replay_resume()")


def _as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as ``nobody`` then."""
    return ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []


@contextlib.contextmanager
def streaming_replication() -> Iterator[Replication]:
    programs = embedded.bin_dir()
    as_user = _as_server_user()
    # Not under pytest's tmp dir: that is private to root, and the server is not root.
    root = Path(tempfile.mkdtemp(prefix="americano-replica-"))
    sockets = {name: root / f"{name}-socket" for name in ("primary", "replica")}
    for folder in (root, *sockets.values()):
        folder.mkdir(exist_ok=True)
        if as_user:
            shutil.chown(folder, "nobody")

    def run(program: str, *args: object) -> None:
        subprocess.run(
            [*as_user, str(programs / program), *map(str, args)], check=True, capture_output=True
        )

    def start(name: str) -> None:
        options = f"-k {sockets[name]} -h '' -c fsync=off"
        run("pg_ctl", "-D", root / name, "-w", "-l", root / f"{name}.log", "-o", options, "start")

    started = []
    servers = Replication(
        primary_url=f"postgresql://postgres@/postgres?host={sockets['primary']}",
        replica_url=f"postgresql://postgres@/postgres?host={sockets['replica']}",
        primary_socket=sockets["primary"],
        replica_socket=sockets["replica"],
    )
    try:
        run("initdb", "-D", root / "primary", "-U", "postgres", "--auth=trust", "--no-sync")
        start("primary")
        started.append("primary")
        with psycopg.connect(
            host=str(sockets["primary"]), dbname="postgres", user="postgres", autocommit=True
        ) as primary:
            primary.execute("CREATE TABLE heartbeat (at timestamptz)")
        run("pg_basebackup", "-D", root / "replica", "-R", "-X", "stream", "--no-sync",
            "-h", sockets["primary"], "-U", "postgres")  # fmt: skip
        start("replica")
        started.append("replica")
        with psycopg.connect(
            host=str(sockets["replica"]), dbname="postgres", user="postgres", autocommit=True
        ) as replica:  # streaming and replaying: a transaction of the primary seen replayed
            while replica.execute("SELECT pg_last_xact_replay_timestamp()").fetchone() == (None,):
                servers.commit_on_primary()
                time.sleep(0.01)
        yield servers
    finally:
        for name in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                run("pg_ctl", "-D", root / name, "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)
