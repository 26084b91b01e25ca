"""One deployment per database at a time: a PostgreSQL session advisory lock.

The lock is taken on a connection of its own, kept open for the whole run, and
is a *session* lock, never a transaction-level one: ``CREATE INDEX
CONCURRENTLY`` waits for every transaction open when it starts, so a deployer
that held the lock inside a transaction would wait for itself. Other deployers
poll ``pg_try_advisory_lock`` (each poll a moment's transaction of its own) up to
their ``--lock-wait``, then give up naming the holder. The server drops the lock
with the session: on every exit path, also when the process is killed.

A transaction-pooling PgBouncer hands each transaction to whichever server
session is free, so a session lock taken through it belongs to nobody in
particular. :func:`check_session` finds out from the connection itself: the lock
must stay held by one backend across statements, and the connection that
migrates must be another backend.
"""

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.core import progress
from americano.core.errors import SetupError
from americano.core.reports import iso
from americano.ops.pgtools import ConnInfo

#: The first half of the lock's key ("depl"); the second is the database's OID.
LOCK_NAMESPACE = 0x6465706C
#: How the sessions of a deployment show in ``pg_stat_activity``.
APPLICATION_NAME = "americano migrate_deploy"
#: The progress task of the wait.
TASK = "waiting for another deployment"
_POLL_SECONDS = 0.2
#: Rounds of the session check: enough for a pooler to show itself.
_CHECKS = 3

_DATABASE_OID = "(SELECT oid FROM pg_database WHERE datname = current_database())"
_KEY = f"(%s::bigint << 32) | {_DATABASE_OID}::bigint"
_HELD_BY = f"""
    SELECT l.pid, a.application_name, host(a.client_addr), a.backend_start
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = %s
      AND l.objid = {_DATABASE_OID} AND l.database = {_DATABASE_OID}
"""


class DeployLocked(SetupError):
    """Another deployment held the lock for longer than ``--lock-wait``."""


class PoolerDetected(SetupError):
    """The connection does not keep a session (a transaction-pooling PgBouncer)."""


def application_name() -> str:
    """The ``application_name`` of this process's sessions."""
    return f"{APPLICATION_NAME} (pid {os.getpid()})"


@dataclass(frozen=True)
class Holder:
    """The session holding the lock, from ``pg_stat_activity``."""

    pid: int
    application: str | None
    client: str | None
    since: dt.datetime | None

    def describe(self) -> str:
        parts = [f"server pid {self.pid}"]
        if self.application:
            parts.append(repr(self.application))
        parts.append(f"from {self.client}" if self.client else "over a local socket")
        if self.since:
            parts.append(f"connected since {iso(self.since)}")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {
            "pid": self.pid,
            "application_name": self.application,
            "client_addr": self.client,
            "backend_start": iso(self.since),
        }


@dataclass(frozen=True)
class HeldLock:
    """The lock, held: how long it took, and whom this deployment waited for (if anyone)."""

    waited_s: float
    pid: int
    waited_for: Holder | None


def holder(db: psycopg.Connection) -> Holder | None:
    """Who holds the deploy lock of ``db``'s database, if anyone."""
    row = db.execute(_HELD_BY, (LOCK_NAMESPACE,)).fetchone()
    return Holder(*row) if row else None


def _try_lock(db: psycopg.Connection) -> bool:
    return db.execute(f"SELECT pg_try_advisory_lock({_KEY})", (LOCK_NAMESPACE,)).fetchone()[0]


@contextlib.contextmanager
def deploy_lock(
    target: ConnInfo, wait_s: float, partner: BaseDatabaseWrapper
) -> Iterator[HeldLock]:
    """Hold the deploy lock of ``target``'s database inside the block.

    Waits up to ``wait_s`` for another deployment (``DeployLocked`` after that),
    then checks that the lock is really held (``check_session``); ``partner`` is
    the connection that will migrate.
    """
    started = time.monotonic()
    named = ConnInfo({**target.params, "application_name": application_name()})
    with named.connect(prepare_threshold=None) as db:
        # A server-wide idle_session_timeout must not end the session, and the lock with it,
        # while a long migration runs on the other connection.
        db.execute("SELECT set_config('idle_session_timeout', '0', false)")
        waited_for = None
        while not _try_lock(db):
            waited = time.monotonic() - started
            current = holder(db)
            waited_for = current or waited_for
            who = current.describe() if current else "a session that has just ended"
            if waited >= wait_s:
                raise DeployLocked(
                    f"another deployment of {target.display()} holds the deploy lock ({who}); "
                    f"gave up after {waited:.1f} s (--lock-wait {wait_s:g})"
                )
            progress.report(TASK, waited, wait_s, who)
            time.sleep(min(_POLL_SECONDS, wait_s - waited))
        try:
            pid = check_session(db, partner, target)
            yield HeldLock(time.monotonic() - started, pid, waited_for)
        finally:
            with contextlib.suppress(psycopg.Error):
                db.execute(f"SELECT pg_advisory_unlock({_KEY})", (LOCK_NAMESPACE,))


def check_session(db: psycopg.Connection, partner: BaseDatabaseWrapper, target: ConnInfo) -> int:
    """The backend pid holding the lock; ``PoolerDetected`` unless one backend keeps holding
    it across statements and ``partner`` runs on another backend."""
    pids = set()
    for _ in range(_CHECKS):
        pid, held = db.execute(
            "SELECT pg_backend_pid(), EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory'"
            f" AND granted AND pid = pg_backend_pid() AND objsubid = 1 AND classid = %s"
            f" AND objid = {_DATABASE_OID})",
            (LOCK_NAMESPACE,),
        ).fetchone()
        with partner.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (other,) = cursor.fetchone()
        pids.add(pid)
        if not held or other == pid or len(pids) > 1:
            raise PoolerDetected(
                f"{target.display()} does not keep a session (a transaction-pooling PgBouncer?): "
                "the deploy lock would not exclude other deployers; pass --direct-url with a URL "
                "that bypasses the pooler"
            )
    return pid
