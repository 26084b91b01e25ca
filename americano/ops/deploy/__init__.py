"""The deployment hook: ``manage.py migrate_deploy``, the one way production migrates.

In order (``run.Deployment``):

1. **Lock** (``lock``): a session advisory lock per database on a connection of its
   own; other deployers wait for it, then give up naming the holder. Refused
   behind a transaction-pooling PgBouncer, which keeps no session.
2. **Preflight** (``preflight``): the server can hold the schema; no migration
   modified or missing; the pending ones pass ``migrate_lint``. Nothing pending:
   done, at about the cost of starting Django.
3. **Safety copy** (``safety``): a verified dump, a WAL restore point, or none.
4. **Apply** (``apply``): each pending migration in order, with ``lock_timeout``
   and ``statement_timeout``; a lock timeout is tried again with a back-off where
   that cannot repeat work; a failure stops at the last good migration.
5. **Verify** (``verify``): nothing pending, checksums recorded, no drift (by
   default in production), and the clients' statements prepare (``checksql``,
   also on a shadow database before anything is applied).
6. **Report** (``report``): what happened, for people and machines.

Nothing here prints; ``config`` checks what was asked before anything connects.
"""

from americano.ops.deploy.apply import apply_session_timeouts
from americano.ops.deploy.config import (
    BACKUP_KINDS,
    DEFAULT_LOCK_WAIT,
    MAX_LOCK_WAIT,
    MAX_TRIES,
    DeployInputError,
    DeployOptions,
    Retries,
    Timeouts,
    default_backup,
)
from americano.ops.deploy.lock import DeployLocked, PoolerDetected
from americano.ops.deploy.preflight import DeployRefused
from americano.ops.deploy.report import DeployReport
from americano.ops.deploy.run import Deployment
from americano.ops.deploy.safety import SafetyCopyFailed

__all__ = [
    "BACKUP_KINDS",
    "DEFAULT_LOCK_WAIT",
    "MAX_LOCK_WAIT",
    "MAX_TRIES",
    "DeployInputError",
    "DeployLocked",
    "DeployOptions",
    "DeployRefused",
    "DeployReport",
    "Deployment",
    "PoolerDetected",
    "Retries",
    "SafetyCopyFailed",
    "Timeouts",
    "apply_session_timeouts",
    "default_backup",
]
