"""Restores that leave nothing half done, compared with what was backed up.

A restore verifies the archive first, takes the target's restore lock (one
restore into a database at a time: ``lock``), refuses to write over a database
that has tables unless told to, runs in one transaction so that a failure or an
interruption leaves the target as it was, and compares the result with the
manifest: row counts, applied migrations, and what ``migrate`` with this code
would do next.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from americano.core.errors import one_line
from americano.db.history import pending_migrations, unknown_migrations
from americano.ops.backup.contents import (
    TargetContents,
    applied_migrations,
    inspect_target,
    table_row_counts,
)
from americano.ops.backup.errors import (
    BackupCorrupt,
    BackupFailed,
    BackupInputError,
    TargetNotEmpty,
    on_interrupt,
)
from americano.ops.backup.files import dump_path_for, manifest_path_for
from americano.ops.backup.lock import DEFAULT_LOCK_WAIT, restore_lock
from americano.ops.backup.manifest import Manifest, read_manifest
from americano.ops.backup.pgrestore import (
    progress_reporter,
    restore_direct,
    restore_in_one_transaction,
)
from americano.ops.backup.verify import Verification, pg_restore_for, verify_archive
from americano.ops.databases import describe
from americano.ops.locks import checked_wait
from americano.ops.pgtools import ConnInfo, PgTool

#: More parallel jobs than this is no restore plan: each job is a server connection.
MAX_JOBS = 64


@dataclass
class MigrationState:
    """Applied migrations of a database against the migrations of this code."""

    applied: int
    pending: list[str]
    unknown: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def migration_state(applied: Mapping[str, Sequence[str]]) -> MigrationState:
    """What ``migrate`` with this code would do to a database with these applied migrations."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    keys = [(app, name) for app, names in applied.items() for name in names]
    return MigrationState(
        applied=len(keys),
        pending=[f"{app}.{name}" for app, name in pending_migrations(loader, keys)],
        unknown=[f"{app}.{name}" for app, name in unknown_migrations(loader, keys)],
    )


def compare_with_manifest(
    connection: BaseDatabaseWrapper, manifest: Manifest
) -> tuple[Verification, int]:
    """Row counts and applied migrations of a restored database against the manifest,
    and the rows found in the manifest's tables."""
    result = Verification()
    counts = table_row_counts(connection)
    expected = manifest.tables
    missing = sorted(set(expected) - set(counts))
    unexpected = sorted(set(counts) - set(expected))
    different = [
        f"{table} has {counts[table]} rows, the manifest says {rows}"
        for table, rows in sorted(expected.items())
        if table in counts and counts[table] != rows
    ]
    if missing:
        result.problems.append(f"{len(missing)} tables are missing: {', '.join(missing[:5])}")
    if unexpected:
        result.problems.append(
            f"{len(unexpected)} tables are not in the manifest: {', '.join(unexpected[:5])}"
        )
    result.problems.extend(different[:10])
    if len(different) > 10:
        result.problems.append(f"and {len(different) - 10} more tables differ")
    if not missing and not unexpected and not different:
        result.checks.append(
            f"row counts of all {len(expected)} tables match the manifest ({manifest.rows} rows)"
        )
    migrations = applied_migrations(connection)
    if {app: sorted(names) for app, names in migrations.items()} != {
        app: sorted(names) for app, names in manifest.migrations.items()
    }:
        result.problems.append("the applied migrations differ from the manifest")
    else:
        result.checks.append(f"applied migrations match the manifest ({manifest.migration_count})")
    return result, sum(counts.get(table, 0) for table in expected)


def rounded_seconds(seconds: Mapping[str, float]) -> dict[str, float]:
    """Timings for a report: to the millisecond."""
    return {key: round(value, 3) for key, value in seconds.items()}


@dataclass
class RestoreResult:
    """A restore that went through, and how the result compares with the manifest."""

    path: Path
    target: str
    atomic: bool
    dropped: TargetContents | None
    verification: Verification
    migrations: MigrationState
    tables: int
    rows: int
    pg_restore: PgTool
    seconds: dict[str, float]

    @property
    def ok(self) -> bool:
        return self.verification.ok

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": "restore",
            "ok": self.ok,
            "restored": True,
            "file": str(self.path),
            "target": self.target,
            "atomic": self.atomic,
            "dropped": self.dropped.as_dict() if self.dropped else None,
            "tables": self.tables,
            "rows": self.rows,
            "verification": self.verification.as_dict(),
            "migrations": self.migrations.as_dict(),
            "pg_restore": self.pg_restore.as_dict(),
            "seconds": rounded_seconds(self.seconds),
        }


@dataclass
class RestoreRefused:
    """A restore refused because the archive failed verification: nothing was touched."""

    path: Path
    target: str
    verification: Verification

    ok = False

    @classmethod
    def from_error(cls, error: BackupCorrupt, target: str) -> RestoreRefused:
        return cls(error.path, target, Verification(problems=error.problems))

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": "restore",
            "ok": False,
            "restored": False,
            "file": str(self.path),
            "target": self.target,
            "verification": self.verification.as_dict(),
        }


@contextlib.contextmanager
def _database_errors(target_name: str) -> Iterator[None]:
    """A failing session of the restore's own (the target was dropped, the server went away)
    as a one-line BackupFailed."""
    try:
        yield
    except psycopg.Error as error:
        raise BackupFailed(f"{target_name}: {one_line(error)}") from None


def restore_backup(
    path: Path,
    connection: BaseDatabaseWrapper,
    *,
    force: bool = False,
    jobs: int = 1,
    no_owner: bool = False,
    no_privileges: bool = False,
    lock_wait: float = DEFAULT_LOCK_WAIT,
    before_drop: Callable[[TargetContents], None] | None = None,
) -> RestoreResult:
    """Restore the archive ``path`` into ``connection``'s database after verifying it.

    Refuses (BackupCorrupt) an archive that fails verification, and
    (TargetNotEmpty) a target with tables unless ``force``, which drops
    everything in its user schemas in the same transaction as the restore;
    ``before_drop`` is told what, once the archive has passed. Waits up to
    ``lock_wait`` seconds for another restore into the same database
    (RestoreLocked). An interruption becomes BackupInterrupted, which says what
    the target holds.
    """
    if not 1 <= jobs <= MAX_JOBS:
        raise BackupInputError(
            f"--jobs must be from 1 to {MAX_JOBS} (each job is a server connection)"
        )
    checked_wait(lock_wait)
    target_name = describe(connection)
    with _database_errors(target_name), contextlib.ExitStack() as stack:
        started = time.monotonic()
        target = ConnInfo.from_django(connection)
        with on_interrupt(f"nothing was restored: {target_name} was not changed"):
            path = dump_path_for(path)
            manifest = read_manifest(path)
            pg_restore = pg_restore_for(manifest)
            verification = verify_archive(path, manifest_path_for(path), pg_restore)
            if not verification.ok:
                raise BackupCorrupt(path, verification.problems)
            verify_seconds = time.monotonic() - started
            waited = stack.enter_context(restore_lock(target, lock_wait, target_name))
            contents = inspect_target(connection)
        if not contents.empty and not force:
            raise TargetNotEmpty(target_name, contents)
        if not contents.empty and jobs > 1:
            raise BackupInputError(
                "--jobs cannot be combined with replacing a database: the drop and the restore "
                "must be one transaction"
            )
        flags = ["--no-owner"] * no_owner + ["--no-privileges"] * no_privileges
        on_line = progress_reporter(len(manifest.tables) * 3 + 1)
        restore_started = time.monotonic()
        stopped = (
            f"the restore was stopped before it committed: {target_name} is as it was"
            if jobs <= 1
            else f"a parallel restore (--jobs) was stopped: {target_name} may be partly restored; "
            "restore again with --force"
        )
        with on_interrupt(stopped):
            if not contents.empty and before_drop is not None:
                before_drop(contents)
            late = None
            if jobs > 1:
                restore_direct(pg_restore, path, target, jobs=jobs, flags=flags, on_line=on_line)
            else:
                late = restore_in_one_transaction(
                    pg_restore,
                    path,
                    target,
                    None if contents.empty else contents,
                    flags=flags,
                    on_line=on_line,
                )
        restore_seconds = time.monotonic() - restore_started

        check_started = time.monotonic()
        with on_interrupt(f"{target_name} is restored, but was not compared with the manifest"):
            if late is not None:  # the interruption came as the restore committed
                raise late
            comparison, rows = compare_with_manifest(connection, manifest)
            verification.extend(comparison)
            state = migration_state(applied_migrations(connection))
        seconds = {
            "verify": verify_seconds,
            "lock": waited,
            "restore": restore_seconds,
            "check": time.monotonic() - check_started,
            "total": time.monotonic() - started,
        }
        return RestoreResult(
            path=path,
            target=target_name,
            atomic=jobs <= 1,
            dropped=None if contents.empty else contents,
            verification=verification,
            migrations=state,
            tables=len(manifest.tables),
            rows=rows,
            pg_restore=pg_restore,
            seconds=seconds,
        )
