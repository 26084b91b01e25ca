"""The workers of a backfill: threads with a database connection each, or the caller itself.

Threads, not processes: a worker spends its time waiting for the server, which does
the work of an ``UPDATE`` in its own backend process, so the GIL costs nothing, and a
thread shares what a process would have to rebuild (the historical model of a
migration state, the progress sink, the stop request of the command that received
the signal). In a new thread ``connections[alias]`` is a new connection to the same
database; the thread closes it when it ends. A ``kill -9`` ends every worker with the
process; the server rolls back their open batches.

Inside an outer transaction (a test, or code that called ``run`` in ``atomic``) other
connections could not see its uncommitted rows: there the batches run one at a time
on the caller's own connection (``InlinePool``).

A pool takes ``submit(grant)`` for an idle worker and gives back ``next()`` what a
worker finished. ``close(abort=True)`` cancels the queries under way (the server
rolls those batches back), for a run ended by an exception or a second signal.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connections

from americano.db.backfill.checkpoints import join_workers
from americano.db.backfill.results import Finished, Grant, StopRequest

if TYPE_CHECKING:
    from americano.db.backfill.runner import Backfill

#: How long a closing pool waits for each thread, and a thread for its connection.
JOIN_TIMEOUT = 5.0


@dataclass(frozen=True)
class _Ready:
    worker: int
    pid: int | None
    error: BaseException | None = None


class InlinePool:
    """One worker: the caller's own connection, each batch run when it is submitted."""

    def __init__(self, backfill: Backfill, stop: StopRequest):
        self.backfill = backfill
        self.stop = stop
        self.finished: list[Finished] = []

    def start(self) -> dict[int, int]:
        with self.backfill.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return {1: cursor.fetchone()[0]}

    def submit(self, grant: Grant) -> None:
        self.finished.append(self.backfill.execute(grant, self.stop, lambda: False))

    def next(self, timeout: float) -> Finished | None:
        if self.finished:
            return self.finished.pop(0)
        time.sleep(timeout)
        return None

    def close(self, *, abort: bool = False) -> None:
        """Nothing runs between two calls."""


class ThreadPool:
    """``workers`` threads, each with its own connection, marked as a worker session of the
    backfill (``checkpoints.join_workers``)."""

    def __init__(self, backfill: Backfill, stop: StopRequest, workers: int):
        self.backfill = backfill
        self.stop = stop
        self.aborting = False
        # queue.Queue, not SimpleQueue: on Python 3.11 a SimpleQueue.get(timeout) whose wait a
        # signal handler interrupts past the deadline then waits forever (the coordinator
        # waits on the outbox, in the main thread, which takes SIGTERM); Queue's lock does not.
        self.inboxes = {number: queue.Queue() for number in range(1, workers + 1)}
        self.outbox: queue.Queue = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.busy: dict[int, object] = {}  # worker -> its psycopg connection, while in a batch

    def start(self) -> dict[int, int]:
        """Start the threads; their server pids, once every one has connected."""
        for number in self.inboxes:
            thread = threading.Thread(
                target=self._work,
                args=(number,),
                name=f"backfill {self.backfill.name} worker {number}",
                daemon=True,  # a second signal must not wait for a batch stuck on a lock
            )
            thread.start()
            self.threads.append(thread)
        pids, error = {}, None
        for _ in self.threads:
            ready = self.outbox.get()
            pids[ready.worker] = ready.pid
            error = error or ready.error
        if error is not None:
            self.close()
            raise error
        return pids

    def _work(self, number: int) -> None:
        connection = connections[self.backfill.alias]
        try:
            try:
                pid = join_workers(self.backfill.name, connection)
            except Exception as error:
                self.outbox.put(_Ready(number, None, error))
                return
            self.outbox.put(_Ready(number, pid))
            inbox = self.inboxes[number]
            while (grant := inbox.get()) is not None:
                self.busy[number] = connection.connection
                try:
                    finished = self.backfill.execute(grant, self._stop, lambda: self.aborting)
                finally:
                    self.busy.pop(number, None)
                self.outbox.put(finished)
        finally:
            connection.close()

    def _stop(self) -> str | None:
        return "aborted" if self.aborting else self.stop()

    def submit(self, grant: Grant) -> None:
        self.inboxes[grant.worker].put(grant)

    def next(self, timeout: float) -> Finished | None:
        try:
            return self.outbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self, *, abort: bool = False) -> None:
        """Let the threads end after their batch (or, with ``abort``, cancel it) and wait."""
        if abort:
            self.aborting = True
            for raw in list(self.busy.values()):
                with contextlib.suppress(Exception):  # a batch that just ended, a closed link
                    raw.cancel_safe(timeout=JOIN_TIMEOUT)
        for inbox in self.inboxes.values():
            inbox.put(None)
        deadline = time.monotonic() + JOIN_TIMEOUT
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()) if abort else None)
