"""What a deployment is asked to do, checked before anything connects.

Durations are PostgreSQL's (``200ms``, ``5s``, ``15min``, ``1h``; a bare number is
milliseconds, as ``SET lock_timeout`` reads it), kept as whole milliseconds.
Zero is refused: it switches a timeout off, which is what a deploy must not do.
"""

import math
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from americano.core.errors import InputError

#: ``--backup`` kinds: a verified pg_dump, a WAL restore point, nothing.
BACKUP_KINDS = ("dump", "restore-point", "none")
#: ``--lock-wait``: the longest wait for another deployer that can be asked for.
MAX_LOCK_WAIT = 3600.0
DEFAULT_LOCK_WAIT = 60.0
#: Tries of one migration after lock timeouts, and the longest first back-off.
MAX_TRIES = 20
MAX_BACKOFF = 60.0
#: No wait between two tries is longer than this, however many doublings.
BACKOFF_CAP = 30.0

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*", re.IGNORECASE)
_MILLISECONDS = {"": 1, "ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000}
_MAX_LOCK_TIMEOUT_MS = 3_600_000  # an hour
_MAX_STATEMENT_TIMEOUT_MS = 86_400_000  # a day


class DeployInputError(InputError):
    """An option or setting of the deployment is not one it can run with."""


def duration_ms(value: object, what: str, maximum_ms: int) -> int:
    """``value`` (``"5s"``, ``"200ms"``, ``1500``) in whole milliseconds, 1 to ``maximum_ms``."""
    match = _DURATION.fullmatch(str(value))
    if not match:
        raise DeployInputError(
            f"{what} {value!r} is not a duration: give e.g. 200ms, 5s, 15min or 1h"
        )
    milliseconds = round(float(match[1]) * _MILLISECONDS[(match[2] or "").lower()])
    if not 1 <= milliseconds <= maximum_ms:
        raise DeployInputError(
            f"{what} must be from 1ms to {maximum_ms // 60_000}min, not {value!r} "
            "(0 would switch the timeout off)"
        )
    return milliseconds


@dataclass(frozen=True)
class Timeouts:
    """``lock_timeout`` and ``statement_timeout`` of the session that migrates."""

    lock_ms: int
    statement_ms: int

    @classmethod
    def chosen(cls, lock: str | None = None, statement: str | None = None) -> "Timeouts":
        """The options given, else ``AMERICANO_LOCK_TIMEOUT`` / ``AMERICANO_STATEMENT_TIMEOUT``."""
        lock_what = "--lock-timeout" if lock is not None else "AMERICANO_LOCK_TIMEOUT"
        statement_what = (
            "--statement-timeout" if statement is not None else "AMERICANO_STATEMENT_TIMEOUT"
        )
        return cls(
            duration_ms(
                settings.AMERICANO_LOCK_TIMEOUT if lock is None else lock,
                lock_what,
                _MAX_LOCK_TIMEOUT_MS,
            ),
            duration_ms(
                settings.AMERICANO_STATEMENT_TIMEOUT if statement is None else statement,
                statement_what,
                _MAX_STATEMENT_TIMEOUT_MS,
            ),
        )

    def as_dict(self) -> dict:
        return {"lock_timeout_ms": self.lock_ms, "statement_timeout_ms": self.statement_ms}


def _seconds(value: float, what: str, maximum: float) -> float:
    if not math.isfinite(value) or not 0 <= value <= maximum:
        raise DeployInputError(f"{what} must be a number of seconds from 0 to {maximum:g}")
    return value


@dataclass(frozen=True)
class Retries:
    """How a migration that meets a lock timeout is tried again: ``tries`` in all, waiting
    ``backoff_s`` before the second, twice as long before each next one (at most 30 s)."""

    tries: int
    backoff_s: float

    @classmethod
    def chosen(cls, tries: int | None = None, backoff_s: float | None = None) -> "Retries":
        """The options given, else ``AMERICANO_DEPLOY_RETRIES`` / ``AMERICANO_DEPLOY_BACKOFF``."""
        tries_what = "AMERICANO_DEPLOY_RETRIES" if tries is None else "--retries"
        tries = settings.AMERICANO_DEPLOY_RETRIES if tries is None else tries
        if isinstance(tries, bool) or not isinstance(tries, int) or not 1 <= tries <= MAX_TRIES:
            raise DeployInputError(f"{tries_what} must be a whole number from 1 to {MAX_TRIES}")
        backoff_what = "AMERICANO_DEPLOY_BACKOFF" if backoff_s is None else "--retry-backoff"
        backoff = settings.AMERICANO_DEPLOY_BACKOFF if backoff_s is None else backoff_s
        if isinstance(backoff, bool) or not isinstance(backoff, int | float):
            raise DeployInputError(f"{backoff_what} must be a number of seconds")
        return cls(tries, _seconds(float(backoff), backoff_what, MAX_BACKOFF))

    def wait_before(self, attempt: int) -> float:
        """Seconds to wait before try ``attempt`` (2, 3, ...)."""
        return min(self.backoff_s * 2 ** (attempt - 2), BACKOFF_CAP)

    def as_dict(self) -> dict:
        return {"tries": self.tries, "retry_backoff_s": self.backoff_s}


def default_backup(environment: str) -> str:
    """The safety copy when ``--backup`` is not given: a dump in production, none elsewhere."""
    return "dump" if environment == "production" else "none"


@dataclass(frozen=True)
class DeployOptions:
    """Everything ``migrate_deploy`` was asked, checked (``manage.py migrate_deploy --help``)."""

    timeouts: Timeouts
    retries: Retries
    backup: str
    backup_dir: Path
    verify_drift: bool
    lock_wait_s: float = DEFAULT_LOCK_WAIT
    shadow_url: str | None = None
    check_sql: Path | None = None
    plan: bool = False

    def __post_init__(self) -> None:
        _seconds(self.lock_wait_s, "--lock-wait", MAX_LOCK_WAIT)
        if self.backup not in BACKUP_KINDS:
            raise DeployInputError(
                f"--backup must be one of {', '.join(BACKUP_KINDS)}, not {self.backup!r}"
            )

    def as_dict(self) -> dict:
        return {
            **self.timeouts.as_dict(),
            **self.retries.as_dict(),
            "lock_wait_s": self.lock_wait_s,
            "backup": self.backup,
            "verify_drift": self.verify_drift,
            "check_sql": str(self.check_sql) if self.check_sql else None,
            "plan": self.plan,
        }
