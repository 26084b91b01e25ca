"""One holder per database for a kind of work: PostgreSQL session advisory locks.

A restore into a database and a deployment of it must each run alone. Each
takes a *session* advisory lock in that database (advisory locks belong to the
database their session is in; the key is the kind's namespace and the
database's OID) on a connection of its own, kept open until the work is done.
It is never a transaction-level lock: ``CREATE INDEX CONCURRENTLY`` waits for
every transaction open when it starts, so work holding its lock inside a
transaction would wait for itself. The server drops the lock with the session,
on every exit path, also when the process is killed. Others poll
``pg_try_advisory_lock`` up to their wait, then give up naming the holder.
"""

import contextlib
import datetime as dt
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import psycopg

from americano.core import progress
from americano.core.errors import InputError
from americano.core.reports import iso

#: The longest wait that can be asked for: a day.
MAX_WAIT_S = 86400.0
_POLL_S = 0.2

DATABASE_OID = "(SELECT oid FROM pg_database WHERE datname = current_database())"
_KEY = f"(%s::bigint << 32) | {DATABASE_OID}::bigint"
_HELD_BY = f"""
    SELECT l.pid, a.application_name, host(a.client_addr), a.backend_start
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = %s
      AND l.objid = {DATABASE_OID} AND l.database = {DATABASE_OID}
"""


def checked_wait(seconds: float, option: str = "--lock-wait") -> float:
    """``seconds``, if it is a wait that can be kept: finite, from 0 to a day."""
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_WAIT_S:
        raise InputError(
            f"{option} must be a number of seconds from 0 to {MAX_WAIT_S:.0f} (a day), "
            f"not {seconds}"
        )
    return seconds


@dataclass(frozen=True)
class Holder:
    """The session holding a lock, from ``pg_stat_activity``."""

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
    """A lock held: how long it took, and whom the wait was for (if anyone)."""

    waited_s: float
    waited_for: Holder | None


def holder(db: psycopg.Connection, namespace: int) -> Holder | None:
    """Who holds the lock of ``namespace`` in ``db``'s database, if anyone."""
    row = db.execute(_HELD_BY, (namespace,)).fetchone()
    return Holder(*row) if row else None


def describe_holder(current: Holder | None) -> str:
    return current.describe() if current else "a session that has just ended"


@contextlib.contextmanager
def session_lock(
    db: psycopg.Connection,
    namespace: int,
    wait_s: float,
    task: str,
    busy: Callable[[str, float], Exception],
) -> Iterator[HeldLock]:
    """Hold the lock of ``namespace`` on the session ``db`` inside the block.

    Waits up to ``wait_s`` (reporting progress as ``task``), then raises ``busy(who
    holds it, seconds waited)``.
    """
    started = time.monotonic()
    waited_for = None
    while not db.execute(f"SELECT pg_try_advisory_lock({_KEY})", (namespace,)).fetchone()[0]:
        waited = time.monotonic() - started
        current = holder(db, namespace)
        waited_for = current or waited_for
        if waited >= wait_s:
            raise busy(describe_holder(current), waited)
        progress.report(task, waited, wait_s, describe_holder(current))
        time.sleep(min(_POLL_S, wait_s - waited))
    try:
        yield HeldLock(time.monotonic() - started, waited_for)
    finally:
        with contextlib.suppress(psycopg.Error):
            db.execute(f"SELECT pg_advisory_unlock({_KEY})", (namespace,))
