"""One restore into a database at a time (``americano.ops.locks``).

Two restores into one database at once would each inspect the target and drop
what the other is creating: a restore takes the restore lock of the target
before it looks at it, and a second one waits for it, up to a bound.
"""

import contextlib
import os
from collections.abc import Iterator

from americano.ops.backup.errors import RestoreLocked
from americano.ops.locks import MAX_WAIT_S, checked_wait, session_lock
from americano.ops.pgtools import ConnInfo

#: The first half of the lock's key, the same for every restore of this project ("amer").
LOCK_NAMESPACE = 0x616D6572
#: How long a restore waits for another one into the same database, by default (seconds).
DEFAULT_LOCK_WAIT = 300.0
MAX_LOCK_WAIT = MAX_WAIT_S
#: The progress task of the wait.
TASK = "waiting for another restore"


@contextlib.contextmanager
def restore_lock(target: ConnInfo, wait_seconds: float, target_name: str) -> Iterator[float]:
    """Hold the restore lock of ``target`` inside the block; yields the seconds waited for it.

    RestoreLocked if another restore holds it for longer than ``wait_seconds``.
    """
    wait_seconds = checked_wait(wait_seconds)
    named = ConnInfo(
        {**target.params, "application_name": f"americano restore (pid {os.getpid()})"}
    )

    def busy(who: str, waited: float) -> RestoreLocked:
        return RestoreLocked(
            f"another restore into {target_name} holds its lock ({who}); gave up "
            f"after {waited:.0f} s (--lock-wait {wait_seconds:g})"
        )

    with named.connect() as db, session_lock(db, LOCK_NAMESPACE, wait_seconds, TASK, busy) as held:
        yield held.waited_s
