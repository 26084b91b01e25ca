"""The coordinator of a backfill run: ranges out to the workers, the checkpoint over them.

On the caller's connection, holding the backfill's lock (one coordinator per
backfill), the coordinator:

1. waits until no worker session of an earlier run is left on the server, then reads
   the ranges after ``last_key``: those a dead run left ``claimed`` are redone first,
   with the same bounds; those ``done`` are skipped;
2. bounds each new range by an index-only scan of the primary key after the previous
   one (the next is scanned while the workers work), so a range's bounds never
   depend on the ``pending`` condition;
3. gives an idle worker the next range, after claiming it in a short transaction of
   its own (claims go in key order, so the ranges after ``last_key`` are always a
   contiguous chain), unless the run must stop (``max_rows``, ``stop``, a failed
   batch) or the throttle holds, or the worker rests (``sleep``);
4. when a worker reports a range done (its transaction marked it), gives it another,
   then moves ``last_key`` over the contiguous done prefix and reports progress (the
   worker is busy meanwhile).

It finishes the checkpoint when the table has no key after the last range and every
range is done. Any exception (a second signal, a failed connection) cancels the
batches under way and leaves their ranges claimed, for the next run to redo.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import Error

from americano.core import progress
from americano.db.backfill.checkpoints import CLAIMED, exclusive, session_pids, workers_gone
from americano.db.backfill.errors import AlreadyRunning
from americano.db.backfill.results import Finished, Grant, Result, StopRequest
from americano.db.backfill.throttle import LAG, Pause
from americano.db.backfill.workers import InlinePool, ThreadPool

if TYPE_CHECKING:
    from americano.db.backfill.runner import Backfill

#: How often the coordinator looks at its stop request while the workers work.
TICK = 0.1
#: How long a new run waits for the worker sessions of a killed one to leave the server.
LINGER_WAIT = 60.0


@dataclass
class _Link:
    """A claimed range in the chain after ``last_key``, in key order."""

    range_id: int
    upper: Any
    done: bool


def pause_detail(pause: Pause) -> str:
    """Why the walk pauses, as the progress shows it."""
    if pause.reason == LAG:
        return f"paused: replication lag {pause.value:.1f} s > {pause.limit:g} s"
    return f"paused: {pause.value:.0f} sessions wait on locks (limit {pause.limit})"


class Walk:
    """One run of ``backfill``: see the module."""

    def __init__(self, backfill: Backfill, max_rows: int | None, stop: StopRequest):
        self.backfill = backfill
        self.connection = backfill.connection
        self.checkpoints = backfill.checkpoints
        self.max_rows = max_rows
        self.stop = stop
        self.throttle = backfill.new_throttle()
        self.chain: deque[_Link] = deque()
        self.redo: deque[Grant] = deque()
        self.last_key: Any = None
        self.frontier: Any = None  # the upper key of the last range claimed
        self.next_bound: tuple[Any, int] | None = None
        self.at_end = False
        self.failure: BaseException | None = None
        self.unreported = False  # a range was done since the checkpoint last moved

    def run(self) -> Result:
        with exclusive(self.backfill.name, self.connection):
            self._wait_for_earlier_workers()
            self.checkpoints.start()
            self.run_row = self.checkpoints.get()
            self.result = Result(
                self.backfill.name,
                finished=self.run_row.finished_at is not None,
                rows_done=self.run_row.rows_done,
                last_key=self.run_row.last_key,
                workers=self.backfill.workers,
                throttle=self.throttle.as_dict(),
            )
            if not self.result.finished:
                self._walk()
        return self.result

    def _wait_for_earlier_workers(self) -> None:
        deadline = time.monotonic() + LINGER_WAIT
        while not workers_gone(self.backfill.name, self.connection):
            if time.monotonic() > deadline or self.stop():
                pids = session_pids(self.backfill.name, self.connection)[1:]
                raise AlreadyRunning(
                    f"backfill {self.backfill.name}: a worker session of an earlier run is"
                    f" still on the server (server pid {pids[0] if pids else '?'})"
                )
            time.sleep(TICK)

    def _recover(self) -> None:
        """The chain of ranges after ``last_key``; those left claimed are redone first."""
        key = self.backfill.key
        self.last_key = self.frontier = key(self.run_row.last_key)
        for claimed in self.checkpoints.open_ranges():
            self.chain.append(_Link(claimed.pk, key(claimed.upper_key), claimed.state != CLAIMED))
            if claimed.state == CLAIMED:
                lower, upper = key(claimed.lower_key), key(claimed.upper_key)
                self.redo.append(Grant(claimed.pk, lower, upper, claimed.rows_scanned, 0))
            self.frontier = key(claimed.upper_key)
        self._advance()

    def _walk(self) -> None:
        self._recover()
        self.scanned = self.run_row.rows_scanned
        self.estimate = self.backfill.estimate_rows()
        in_transaction = self.connection.in_atomic_block
        pool = (
            InlinePool(self.backfill, self.stop)
            if in_transaction
            else ThreadPool(self.backfill, self.stop, self.backfill.workers)
        )
        self.pids = pool.start()
        self.own_pids = [*self.pids.values(), *session_pids(self.backfill.name, self.connection)]
        try:
            with self._quick_commits(in_transaction):
                self._dispatch(pool)
        except BaseException:
            pool.close(abort=True)
            raise
        finally:
            self.throttle.end()
            self.result.pauses = self.throttle.pauses
        pool.close()
        if self.failure is not None:
            raise self.failure
        if self.at_end and not self.chain and not self.redo:
            self.checkpoints.advance(self.last_key, [], finished=True)
            self.result.finished, self.result.stopped_by = True, None
        self.result.last_key = None if self.last_key is None else str(self.last_key)

    @contextlib.contextmanager
    def _quick_commits(self, in_transaction: bool) -> Iterator[None]:
        """The coordinator's own commits (claims, the checkpoint's moves) do not wait for the
        WAL to reach the disk: a worker's batch commits after its claim, and its flush
        makes the claim durable too; a lost move of ``last_key`` leaves its ranges done,
        which the next run skips. Restored afterwards: the connection is the caller's."""
        if in_transaction:
            yield
            return
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('synchronous_commit')")
            before = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('synchronous_commit', 'off', false)")
        try:
            yield
        finally:
            with contextlib.suppress(Error), self.connection.cursor() as cursor:
                cursor.execute("SELECT set_config('synchronous_commit', %s, false)", [before])

    def _dispatch(self, pool: InlinePool | ThreadPool) -> None:
        """Hand out ranges to idle, rested workers until there are none or the run stops."""
        rested = dict.fromkeys(self.pids, 0.0)  # idle worker -> when its rest ends
        busy = 0
        while True:
            now = time.monotonic()
            if self.result.stopped_by is None and self.failure is None:
                self.result.stopped_by = self._stop_reason()
            handing_out = self.result.stopped_by is None and self.failure is None
            for worker in [w for w, until in rested.items() if until <= now]:
                if not handing_out or self._held():
                    break
                grant = self._grant(worker)
                if grant is None:
                    break
                del rested[worker]
                pool.submit(grant)
                busy += 1
                self._bound_ahead()
            if self.unreported:  # while the worker that finished has its next range already
                self._report()
            if not busy and (not handing_out or self._exhausted()):
                return
            waits = [until - now for until in rested.values() if until > now]
            finished = pool.next(min([TICK, *waits]))
            if finished is not None:
                busy -= 1
                rested[finished.grant.worker] = time.monotonic() + self.backfill.sleep
                self._record(finished)

    def _stop_reason(self) -> str | None:
        if self.max_rows is not None and self.result.rows >= self.max_rows:
            return "max_rows"
        return self.stop()

    def _exhausted(self) -> bool:
        return self.at_end and not self.redo

    def _held(self) -> bool:
        """Whether the throttle holds the ranges back now (a pause starts: say why)."""
        before = self.throttle.paused
        paused = self.throttle.hold(self.connection, self.own_pids)
        if paused is not None and paused is not before:
            progress.report(
                f"backfill {self.backfill.name}",
                done=self.scanned,
                total=self.estimate,
                detail=pause_detail(paused),
            )
        return paused is not None

    def _grant(self, worker: int) -> Grant | None:
        """The next range for ``worker``, claimed: a dead run's first, then a new one."""
        pid = self.pids[worker]
        if self.redo:
            left = self.redo.popleft()
            self.checkpoints.reclaim(left.range_id, worker, pid)
            return Grant(left.range_id, left.lower, left.upper, left.scanned, worker)
        if self.at_end:
            return None
        upper, scanned = self.next_bound or self.backfill.bound(self.frontier)
        self.next_bound = None
        if not scanned:
            self.at_end = True
            return None
        lower, self.frontier = self.frontier, upper
        self.at_end = scanned < self.backfill.batch_size
        range_id = self.checkpoints.claim(self.run_row, lower, upper, scanned, worker, pid)
        self.chain.append(_Link(range_id, upper, False))
        return Grant(range_id, lower, upper, scanned, worker)

    def _bound_ahead(self) -> None:
        """Scan for the next range while the workers work."""
        if not self.at_end and self.next_bound is None:
            self.next_bound = self.backfill.bound(self.frontier)

    def _record(self, finished: Finished) -> None:
        """Count a range a worker finished (or keep why it failed)."""
        if finished.error is not None:
            self.failure = self.failure or finished.error
            return
        result = self.result
        result.slowest_batch = max(result.slowest_batch, finished.seconds)
        result.rows += finished.rows
        result.rows_done += finished.rows
        result.scanned += finished.grant.scanned
        result.batches += 1
        self.scanned += finished.grant.scanned
        for link in self.chain:
            if link.range_id == finished.grant.range_id:
                link.done = True
        self.unreported = True

    def _report(self) -> None:
        """Move the checkpoint over the ranges done, then say how far the walk got."""
        self.unreported = False
        self._advance()
        progress.report(
            f"backfill {self.backfill.name}",
            done=self.scanned,
            total=self.estimate,
            detail=f"{self.result.rows_done:,} rows updated",
        )

    def _advance(self) -> None:
        """Move ``last_key`` over the done ranges at the head of the chain."""
        done = []
        while self.chain and self.chain[0].done:
            link = self.chain.popleft()
            done.append(link.range_id)
            self.last_key = link.upper
        if done:
            self.checkpoints.advance(self.last_key, done)
            self.result.last_key = str(self.last_key)
