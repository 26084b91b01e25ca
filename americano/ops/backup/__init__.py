"""Backups a DBA can trust, and restores that leave nothing half done.

A backup is a ``pg_dump --format=custom`` archive with a JSON manifest beside
it (``files``, ``manifest``). The row counts and applied migrations of the
manifest are read in the snapshot that pg_dump dumps, and a backup is only
reported as made once it has been read back (``dump``, ``verify``). A restore
verifies the archive first, takes the target's restore lock so that restores
into one database take turns (``lock``), refuses to write over a database that
has tables unless told to, runs in one transaction, and compares the result with
the manifest (``restore``, ``pgrestore``); a restore test does so in a throwaway
database (``trial``). ``folder`` lists a folder of backups and applies the
retention policy; ``contents`` reads what a database holds.

Functions take the Django connection of the database they work on. Nothing
here prints: the commands ``backup`` and ``restore`` do. Errors are the
:class:`BackupError` family (``errors``) or
:class:`~americano.ops.pgtools.PgToolError` from the client programs; an
interruption (``KeyboardInterrupt``, which ``americano.core.interrupts`` raises for
SIGTERM too) becomes :class:`BackupInterrupted`, saying what was left.
"""

from americano.ops.backup.contents import (
    TargetContents,
    applied_migrations,
    inspect_target,
    table_checksums,
    table_row_counts,
)
from americano.ops.backup.dump import BackupResult, create_backup, matching_pg_restore
from americano.ops.backup.errors import (
    BackupCorrupt,
    BackupError,
    BackupFailed,
    BackupInputError,
    BackupInterrupted,
    ManifestError,
    RestoreFailed,
    RestoreLocked,
    TargetNotEmpty,
)
from americano.ops.backup.files import (
    DEFAULT_DIRECTORY,
    STAMP_FORMAT,
    dump_path_for,
    existing_archive,
    manifest_path_for,
)
from americano.ops.backup.folder import (
    DEFAULT_KEEP_DAYS,
    DEFAULT_KEEP_LAST,
    MAX_KEEP_DAYS,
    NO_TIME,
    BackupInfo,
    BackupListing,
    RetentionPlan,
    list_backups,
    prune_backups,
)
from americano.ops.backup.lock import DEFAULT_LOCK_WAIT, MAX_LOCK_WAIT, restore_lock
from americano.ops.backup.manifest import Manifest, read_manifest
from americano.ops.backup.restore import (
    MAX_JOBS,
    MigrationState,
    RestoreRefused,
    RestoreResult,
    migration_state,
    restore_backup,
)
from americano.ops.backup.trial import CheckedBackup, RestoreTest, check_backup, restore_test
from americano.ops.backup.verify import Verification, verify_backup

__all__ = [
    "DEFAULT_DIRECTORY",
    "DEFAULT_KEEP_DAYS",
    "DEFAULT_KEEP_LAST",
    "DEFAULT_LOCK_WAIT",
    "MAX_JOBS",
    "MAX_KEEP_DAYS",
    "MAX_LOCK_WAIT",
    "NO_TIME",
    "STAMP_FORMAT",
    "BackupCorrupt",
    "BackupError",
    "BackupFailed",
    "BackupInfo",
    "BackupInputError",
    "BackupInterrupted",
    "BackupListing",
    "BackupResult",
    "CheckedBackup",
    "Manifest",
    "ManifestError",
    "MigrationState",
    "RestoreFailed",
    "RestoreLocked",
    "RestoreRefused",
    "RestoreResult",
    "RestoreTest",
    "RetentionPlan",
    "TargetContents",
    "TargetNotEmpty",
    "Verification",
    "applied_migrations",
    "check_backup",
    "create_backup",
    "dump_path_for",
    "existing_archive",
    "inspect_target",
    "list_backups",
    "manifest_path_for",
    "matching_pg_restore",
    "migration_state",
    "prune_backups",
    "read_manifest",
    "restore_backup",
    "restore_lock",
    "restore_test",
    "table_checksums",
    "table_row_counts",
    "verify_backup",
]
