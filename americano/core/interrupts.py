"""Signals as the person who sent them expects: the work stops, cleans up, and says so.

Inside :func:`interruptible` (every project command runs in one), SIGINT, SIGTERM
and SIGHUP (:data:`STOPPING`) are handled alike:

* the first raises :class:`Interrupted` (a ``KeyboardInterrupt``) where the main
  thread is, so that ``finally`` blocks and transactions unwind: children stopped,
  password files removed, a transaction rolled back. Later signals are ignored
  while that cleanup runs;
* with ``graceful=True`` the first only asks the work to stop
  (``stop.requested``, which a backfill reads between batches) and a second one
  interrupts;
* inside :func:`deferred_interrupts` (removing a password file, making or dropping
  a scratch database) a signal waits for the block's end; after :meth:`Stop.hold` (a commit
  under way) it is only noted, since the work can no longer be undone;
* a signal that was ignored when the block began stays ignored (``nohup``);
* only the main thread receives signals: in another thread nothing changes.

:func:`on_interrupt` turns an interruption into a one-line error that says what
was left behind.
"""

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from americano.core.errors import AmericanoError

STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """A signal interrupted the work: ``str(error)`` is its name, e.g. ``SIGTERM``."""


class InterruptedWork(AmericanoError):
    """A signal ended the work; the message says what was left and how (exit 2)."""


@dataclass
class Stop:
    """What the signals of an :func:`interruptible` block asked for."""

    graceful: bool = False
    #: The first signal received (e.g. ``"SIGTERM"``), or None.
    requested: str | None = None
    interrupted: bool = False
    held: bool = False

    def __call__(self) -> str | None:
        """Why to stop now, or None to go on: what a graceful worker asks between units."""
        return self.requested

    def hold(self) -> None:
        """From now on a signal is only noted: the work is committing and cannot be undone."""
        self.held = True


class _Deferring:
    """Blocks of :func:`deferred_interrupts` open in the main thread, and what waits for them."""

    depth = 0
    pending: str | None = None


@contextlib.contextmanager
def interruptible(*, graceful: bool = False) -> Iterator[Stop]:
    """Handle the stopping signals inside the block as the module says."""
    stop = Stop(graceful)
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def on_signal(number: int, frame: object) -> None:
        name = signal.Signals(number).name
        first = stop.requested is None
        stop.requested = stop.requested or name
        if stop.held or stop.interrupted or (graceful and first):
            return
        stop.interrupted = True
        if _Deferring.depth:
            _Deferring.pending = name
            return
        raise Interrupted(name)

    previous = {
        number: signal.signal(number, on_signal)
        for number in STOPPING
        if signal.getsignal(number) is not signal.SIG_IGN
    }
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """A block that an interruption does not cut short: a signal that arrives inside takes
    effect when the outermost such block ends."""
    _Deferring.depth += 1
    try:
        yield
    finally:
        _Deferring.depth -= 1
        if not _Deferring.depth and _Deferring.pending:
            name, _Deferring.pending = _Deferring.pending, None
            raise Interrupted(name)


@contextlib.contextmanager
def on_interrupt(
    what_was_left: str,
    error: type[InterruptedWork] = InterruptedWork,
    stop: Stop | None = None,
) -> Iterator[None]:
    """An interruption inside the block becomes ``error`` saying ``what_was_left`` (the
    cleanup has run by then): one line for the person who sent the signal. With ``stop``,
    so does any failure after the signal (one raised inside a database driver, say)."""
    try:
        yield
    except KeyboardInterrupt as interrupt:
        raise error(f"interrupted ({interrupt or 'SIGINT'}): {what_was_left}") from None
    except Exception:
        if stop is None or not stop.interrupted:
            raise
        raise error(f"interrupted ({stop.requested}): {what_was_left}") from None
