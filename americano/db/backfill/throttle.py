"""Pausing a backfill while the database is unwell: replicas behind, sessions waiting on locks.

A backfill writes as fast as the server lets it, which is too fast for a replica that
replays the WAL on one core, and its row locks make other sessions wait. Like the
throttles of large Rails and Django shops, the coordinator asks the server's own
statistics before it hands out a range, at most every ``CHECK_EVERY`` seconds, and
hands out nothing while a signal passes its limit:

* replication lag: with a replica connection (``backfill --replica-url``), how long
  ago the last transaction it replayed committed on the primary, 0 when it has
  replayed all it received (one that has replayed no transaction since it started
  counts from its start); otherwise, on the primary, the largest ``replay_lag`` of
  ``pg_stat_replication`` (none without replicas; a replica that stopped replaying
  keeps showing its last measured lag there: give its URL to see it grow);
* lock waits: sessions of this database waiting on a lock
  (``pg_stat_activity.wait_event_type = 'Lock'``), the backfill's own aside.

Each pause is kept (why, the worst value seen, how long) for the run's result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from americano.db.backfill.limits import (
    checked_max_lag,
    checked_max_lock_waits,
    default_max_lag,
    default_max_lock_waits,
)

#: Seconds between two looks at the server's health, running or paused.
CHECK_EVERY = 0.5
LAG = "replication_lag"
LOCK_WAITS = "lock_waits"

REPLICA_LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM now()
                 - coalesce(pg_last_xact_replay_timestamp(), pg_postmaster_start_time()))
       END::float8
"""
PRIMARY_LAG_SQL = (
    "SELECT coalesce(max(extract(epoch FROM replay_lag)), 0)::float8 FROM pg_stat_replication"
)
LOCK_WAITS_SQL = """
SELECT count(*) FROM pg_stat_activity
WHERE wait_event_type = 'Lock' AND datname = current_database() AND NOT (pid = ANY(%s))
"""


def replication_lag(connection: BaseDatabaseWrapper) -> float:
    """Seconds the replicas are behind: read on a replica if ``connection`` is one, otherwise
    the primary's ``pg_stat_replication`` (0 without replicas)."""
    with connection.cursor() as cursor:
        cursor.execute(REPLICA_LAG_SQL)
        in_recovery, lag = cursor.fetchone()
        if in_recovery:
            return lag
        cursor.execute(PRIMARY_LAG_SQL)
        return cursor.fetchone()[0]


def is_replica(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def lock_waits(connection: BaseDatabaseWrapper, own_pids: list[int]) -> int:
    """Sessions of the database waiting on a lock, leaving out ``own_pids``."""
    with connection.cursor() as cursor:
        cursor.execute(LOCK_WAITS_SQL, [own_pids])
        return cursor.fetchone()[0]


@dataclass
class Pause:
    """One pause: why, the worst value seen against the limit, and for how long."""

    reason: str
    value: float
    limit: float
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "worst": round(self.value, 3),
            "limit": self.limit,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class Throttle:
    """The limits of one run and its pauses. ``replica``: a connection to a replica whose lag
    counts (None: the primary's ``pg_stat_replication``); the caller opens and closes it."""

    max_lag: float | None = None
    max_lock_waits: int | None = None
    replica: BaseDatabaseWrapper | None = None
    pauses: list[Pause] = field(default_factory=list)
    _checked: float = field(default=float("-inf"), init=False, repr=False)
    _current: Pause | None = field(default=None, init=False, repr=False)
    _since: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.max_lag = default_max_lag() if self.max_lag is None else checked_max_lag(self.max_lag)
        self.max_lock_waits = (
            default_max_lock_waits()
            if self.max_lock_waits is None
            else checked_max_lock_waits(self.max_lock_waits)
        )

    @property
    def paused(self) -> Pause | None:
        return self._current

    @property
    def paused_seconds(self) -> float:
        return sum(pause.seconds for pause in self.pauses)

    def trouble(self, connection: BaseDatabaseWrapper, own_pids: list[int]) -> Pause | None:
        """What passes its limit now, if anything (the first signal that does)."""
        lag = replication_lag(self.replica or connection)
        if lag > self.max_lag:
            return Pause(LAG, lag, self.max_lag)
        waits = lock_waits(connection, own_pids)
        if waits > self.max_lock_waits:
            return Pause(LOCK_WAITS, waits, self.max_lock_waits)
        return None

    def hold(self, connection: BaseDatabaseWrapper, own_pids: list[int]) -> Pause | None:
        """Whether to hand out nothing now: the pause under way, if the server is unwell.

        Looks at the server at most every ``CHECK_EVERY`` seconds; in between, the last
        answer stands. A pause starts when a signal passes its limit and ends at the first
        look that finds every signal within its limit.
        """
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY:
            return self._current
        self._checked = now
        trouble = self.trouble(connection, own_pids)
        current = self._current
        if current is not None:
            current.seconds = now - self._since
            if trouble is None:
                self._current = None
            else:
                current.value = max(current.value, trouble.value)
        elif trouble is not None:
            self._current, self._since = trouble, now
            self.pauses.append(trouble)
        return self._current

    def end(self) -> None:
        """The run ends: a pause under way lasts until now."""
        if self._current is not None:
            self._current.seconds = time.monotonic() - self._since
            self._current = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "max_lag_seconds": self.max_lag,
            "max_lock_waits": self.max_lock_waits,
            "lag_from": "replica" if self.replica is not None else "primary",
        }
