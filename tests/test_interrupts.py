"""Signals, as every command meets them (americano.core.interrupts), with real signals.

Each scenario runs in a child Python process that signals itself, so that a broken
handler cannot end the test session.
"""

import pytest

from tests.commandline import run_python

SCENARIOS = """
import os, signal, time
from americano.core.interrupts import (
    Interrupted, deferred_interrupts, interruptible, on_interrupt,
)

def send(number):
    os.kill(os.getpid(), number)
    time.sleep(0.05)  # the handler has run

try:  # the first signal interrupts where the work is
    with interruptible():
        send(signal.SIGTERM)
        print("not interrupted")
except Interrupted as error:
    print("interrupted", error)

try:  # a second one does not cut the cleanup short
    with interruptible():
        try:
            send(signal.SIGTERM)
        finally:
            send(signal.SIGINT)
            print("cleaned up")
except Interrupted as error:
    print("then", error)

try:  # inside a deferred block the signal waits for its end
    with interruptible():
        with deferred_interrupts():
            send(signal.SIGHUP)
            print("dropped the scratch database")
        print("not reached")
except Interrupted as error:
    print("after the cleanup", error)

with interruptible() as stop:  # committing: only noted
    stop.hold()
    send(signal.SIGINT)
print("held", stop.requested)

with interruptible(graceful=True) as stop:  # graceful: asked, then interrupted
    send(signal.SIGTERM)
    print("asked to stop:", stop())
    try:
        send(signal.SIGTERM)
    except Interrupted as error:
        print("second signal", error)

signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup leaves it
with interruptible() as stop:
    send(signal.SIGHUP)
print("ignored", stop.requested, signal.getsignal(signal.SIGHUP) is signal.SIG_IGN)
print("restored", signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)

try:
    with interruptible(), on_interrupt("nothing written"):
        send(signal.SIGTERM)
except Exception as error:
    print(type(error).__name__, error)
"""


@pytest.mark.slow
def test_signals_interrupt_once_wait_for_cleanups_and_respect_nohup():
    result = run_python(SCENARIOS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "interrupted SIGTERM",
        "cleaned up",
        "then SIGTERM",
        "dropped the scratch database",
        "after the cleanup SIGHUP",
        "held SIGINT",
        "asked to stop: SIGTERM",
        "second signal SIGTERM",
        "ignored None True",
        "restored True",
        "InterruptedWork interrupted (SIGTERM): nothing written",
    ]
