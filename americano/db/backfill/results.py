"""What passes between a backfill's runner, its coordinator and its workers.

``Result`` is the report of one run; ``Grant`` a claimed range handed to a worker and
``Finished`` what the worker says back; ``pause`` the sleep that a stop request cuts
short.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from americano.db.backfill.throttle import Pause

#: What a caller passes as ``stop``: why to stop now (e.g. "SIGTERM"), or None to go on.
StopRequest = Callable[[], str | None]
#: The longest a pause goes without asking ``stop``.
PAUSE_SLICE = 0.1


@dataclass
class Result:
    """What one run of a backfill did: a report (``ok`` when the backfill is finished)."""

    name: str
    finished: bool
    batches: int = 0
    rows: int = 0
    scanned: int = 0
    seconds: float = 0.0
    slowest_batch: float = 0.0
    rows_done: int = 0
    last_key: str | None = None
    #: Why an unfinished run stopped: "max_rows", or what ``stop`` said (e.g. "SIGTERM").
    stopped_by: str | None = None
    workers: int = 1
    #: The throttle's pauses, in order, and its limits (``Throttle.as_dict``).
    pauses: list[Pause] = field(default_factory=list)
    throttle: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def paused_seconds(self) -> float:
        return sum(pause.seconds for pause in self.pauses)

    @property
    def ok(self) -> bool:
        return self.finished

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": "finished" if self.finished else "unfinished",
            "batches": self.batches,
            "rows": self.rows,
            "scanned": self.scanned,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "slowest_batch_seconds": round(self.slowest_batch, 3),
            "rows_done": self.rows_done,
            "last_key": self.last_key,
            "stopped_by": self.stopped_by,
            "workers": self.workers,
            "throttle": self.throttle,
            "pauses": [pause.as_dict() for pause in self.pauses],
            "paused_seconds": round(self.paused_seconds, 3),
        }


@dataclass(frozen=True)
class Grant:
    """A claimed range ``(lower, upper]`` handed to worker ``worker``."""

    range_id: int
    lower: Any
    upper: Any
    scanned: int
    worker: int


@dataclass(frozen=True)
class Finished:
    """What a worker says after a range: the rows it changed, or why it failed for good."""

    grant: Grant
    rows: int
    seconds: float
    error: BaseException | None = None


def pause(seconds: float, stop: StopRequest | None = None) -> None:
    """Sleep ``seconds``, in short slices that end as soon as ``stop`` asks to."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0 and not (stop and stop()):
        time.sleep(min(left, PAUSE_SLICE))
