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
import os
from collections.abc import Iterator

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.core.errors import SetupError
from americano.ops.locks import DATABASE_OID, HeldLock, session_lock
from americano.ops.pgtools import ConnInfo

#: The first half of the lock's key ("depl"); the second is the database's OID.
LOCK_NAMESPACE = 0x6465706C
#: How the sessions of a deployment show in ``pg_stat_activity``.
APPLICATION_NAME = "americano migrate_deploy"
#: The progress task of the wait.
TASK = "waiting for another deployment"
#: Rounds of the session check: enough for a pooler to show itself.
_CHECKS = 3


class DeployLocked(SetupError):
    """Another deployment held the lock for longer than ``--lock-wait``."""


class PoolerDetected(SetupError):
    """The connection does not keep a session (a transaction-pooling PgBouncer)."""


def application_name() -> str:
    """The ``application_name`` of this process's sessions."""
    return f"{APPLICATION_NAME} (pid {os.getpid()})"


@contextlib.contextmanager
def deploy_lock(
    target: ConnInfo, wait_s: float, partner: BaseDatabaseWrapper
) -> Iterator[HeldLock]:
    """Hold the deploy lock of ``target``'s database inside the block.

    Waits up to ``wait_s`` for another deployment (``DeployLocked`` after that),
    then checks that the lock is really held (``check_session``); ``partner`` is
    the connection that will migrate.
    """

    def busy(who: str, waited: float) -> DeployLocked:
        return DeployLocked(
            f"another deployment of {target.display()} holds the deploy lock ({who}); "
            f"gave up after {waited:.1f} s (--lock-wait {wait_s:g})"
        )

    named = ConnInfo({**target.params, "application_name": application_name()})
    with named.connect(prepare_threshold=None) as db:
        # A server-wide idle_session_timeout must not end the session, and the lock with it,
        # while a long migration runs on the other connection.
        db.execute("SELECT set_config('idle_session_timeout', '0', false)")
        with session_lock(db, LOCK_NAMESPACE, wait_s, TASK, busy) as held:
            check_session(db, partner, target)
            yield held


def check_session(db: psycopg.Connection, partner: BaseDatabaseWrapper, target: ConnInfo) -> None:
    """``PoolerDetected`` unless one backend keeps holding the lock across statements and
    ``partner`` runs on another backend."""
    pids = set()
    for _ in range(_CHECKS):
        pid, held = db.execute(
            "SELECT pg_backend_pid(), EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory'"
            f" AND granted AND pid = pg_backend_pid() AND objsubid = 1 AND classid = %s"
            f" AND objid = {DATABASE_OID})",
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
