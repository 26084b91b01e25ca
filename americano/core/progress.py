"""How far long work has got: one protocol for the library, one renderer for people.

Library code calls :func:`report` as it goes (a backfill after each batch, a
dump for each table); it never draws anything. Whoever wants to see progress
installs a sink for the duration of the work with :func:`reporting_to`: the
management commands install a progress bar on a terminal
(``americano.management.progress``), tests install a list's ``append``. With
no sink installed, :func:`report` costs a context-variable lookup and nothing
is shown, so ``call_command("migrate", stdout=buffer)`` stays silent.

The sink is a context variable rather than an argument because some work is
started by Django and not by us (a ``RunBackfill`` inside ``migrate``). Threads
that report (the readers of a child program's stderr) must run in a copy of the
starting context: :func:`in_current_context`.
"""

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar


@dataclass(frozen=True)
class Step:
    """One report: ``done`` of ``total`` units (None: unknown) of ``task``, with a detail."""

    task: str
    done: float
    total: float | None = None
    detail: str = ""


class ProgressSink(Protocol):
    def __call__(self, step: Step) -> None: ...


_sink: contextvars.ContextVar[ProgressSink | None] = contextvars.ContextVar(
    "americano_progress", default=None
)


def report(task: str, done: float, total: float | None = None, detail: str = "") -> None:
    """Tell the installed sink, if any, how far ``task`` has got."""
    sink = _sink.get()
    if sink is not None:
        sink(Step(task, done, total, detail))


@contextlib.contextmanager
def reporting_to(sink: ProgressSink | None) -> Iterator[None]:
    """Send the reports made inside the block to ``sink`` (None: to nobody)."""
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)


T = TypeVar("T")


def in_current_context(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` bound to a copy of the current context, for a thread that reports."""
    context = contextvars.copy_context()
    return lambda *args, **kwargs: context.run(function, *args, **kwargs)
