"""One restore into a database at a time: a PostgreSQL advisory lock on the target.

Two restores into one database at once would each inspect the target and drop
what the other is creating. So a restore first takes a session-level advisory
lock in the target database (advisory locks belong to the database their
session is in; the key is the project's namespace and the database's OID) and
keeps that session open until it is done. The server releases the lock when the
session ends, also when the process is killed, so a lock is never left behind.
A second restore waits for it, up to a bound, then gives up naming the holder.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Iterator

import psycopg

from americano.core import progress
from americano.ops.backup.errors import BackupInputError, RestoreLocked
from americano.ops.pgtools import ConnInfo

#: The first half of the lock's key, the same for every restore of this project ("amer").
LOCK_NAMESPACE = 0x616D6572
#: How long a restore waits for another one into the same database, by default (seconds).
DEFAULT_LOCK_WAIT = 300.0
#: The longest wait that can be asked for: a day.
MAX_LOCK_WAIT = 86400.0
#: The progress task of the wait.
TASK = "waiting for another restore"
_POLL_SECONDS = 0.2

_KEY = (
    "(%s::bigint << 32) | (SELECT oid::bigint FROM pg_database WHERE datname = current_database())"
)
_HOLDER_SQL = """
    SELECT l.pid, a.application_name FROM pg_locks l
    LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = %s
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def checked_wait(seconds: float) -> float:
    """``seconds``, if it is a wait this module can keep (finite, from 0 to a day)."""
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_LOCK_WAIT:
        raise BackupInputError(
            f"--lock-wait must be a number of seconds from 0 to {MAX_LOCK_WAIT:.0f} (a day), "
            f"not {seconds}"
        )
    return seconds


def _holder(db: psycopg.Connection) -> str:
    row = db.execute(_HOLDER_SQL, (LOCK_NAMESPACE,)).fetchone()
    if row is None:
        return "a session that has just ended"
    pid, application = row
    return f"server pid {pid}" + (f", {application!r}" if application else "")


@contextlib.contextmanager
def restore_lock(target: ConnInfo, wait_seconds: float, target_name: str) -> Iterator[float]:
    """Hold the restore lock of ``target`` inside the block; yields the seconds waited for it.

    RestoreLocked if another restore holds it for longer than ``wait_seconds``.
    """
    wait_seconds = checked_wait(wait_seconds)
    started = time.monotonic()
    with target.connect(application_name=f"americano restore (pid {os.getpid()})") as db:
        while not db.execute(f"SELECT pg_try_advisory_lock({_KEY})", (LOCK_NAMESPACE,)).fetchone()[
            0
        ]:
            waited = time.monotonic() - started
            holder = _holder(db)
            if waited >= wait_seconds:
                raise RestoreLocked(
                    f"another restore into {target_name} holds its lock ({holder}); gave up "
                    f"after {waited:.0f} s (--lock-wait {wait_seconds:g})"
                )
            progress.report(TASK, waited, wait_seconds, holder)
            time.sleep(min(_POLL_SECONDS, wait_seconds - waited))
        try:
            yield time.monotonic() - started
        finally:
            with contextlib.suppress(psycopg.Error):
                db.execute(f"SELECT pg_advisory_unlock({_KEY})", (LOCK_NAMESPACE,))
