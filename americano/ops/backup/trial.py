"""Restore tests: an archive restored into a throwaway database and compared with its manifest.

Reading an archive back proves it is whole; only restoring it proves that
PostgreSQL accepts it and that it holds the rows the manifest counts. An archive
that pg_restore fails to restore is a finding of the test (not ok, exit 1), not
an error of the environment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from americano.ops.backup.errors import RestoreFailed, on_interrupt
from americano.ops.backup.files import dump_path_for
from americano.ops.backup.manifest import read_manifest
from americano.ops.backup.pgrestore import restore_in_one_transaction
from americano.ops.backup.restore import compare_with_manifest
from americano.ops.backup.verify import Verification, pg_restore_for, verify_backup
from americano.ops.databases import throwaway_database
from americano.ops.pgtools import ConnInfo


@dataclass
class RestoreTest:
    """A restore of an archive into a throwaway database, compared with its manifest."""

    database: str
    verification: Verification
    tables: int
    rows: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.verification.ok

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "database": self.database,
            "tables": self.tables,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "problems": self.verification.problems,
        }


def restore_test(path: Path, connection: BaseDatabaseWrapper) -> RestoreTest:
    """Restore ``path`` into a throwaway database on ``connection``'s server and compare it.

    Owners and privileges are left out (``--no-owner --no-privileges``): the
    test is about the data, and the roles of the original server may not exist.
    The throwaway database is always dropped, also when the test is interrupted
    (an interruption while it is created or dropped waits for that).
    """
    path = dump_path_for(path)
    manifest = read_manifest(path)
    pg_restore = pg_restore_for(manifest)
    started = time.monotonic()
    with throwaway_database(connection, "restoretest") as scratch:
        target = ConnInfo.from_django(scratch)
        try:
            late = restore_in_one_transaction(
                pg_restore, path, target, None, flags=["--no-owner", "--no-privileges"]
            )
        except RestoreFailed as error:
            verification, rows = Verification(problems=[str(error)]), 0
        else:
            if late is not None:
                raise late
            verification, rows = compare_with_manifest(scratch, manifest)
    return RestoreTest(
        database=scratch.settings_dict["NAME"],
        verification=verification,
        tables=len(manifest.tables),
        rows=rows,
        seconds=time.monotonic() - started,
    )


@dataclass
class CheckedBackup:
    """An existing archive read back, and restored into a throwaway database if asked."""

    path: Path
    verification: Verification
    restore_test: RestoreTest | None = None

    @property
    def ok(self) -> bool:
        return self.verification.ok and (self.restore_test is None or self.restore_test.ok)

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": "verify",
            "ok": self.ok,
            "file": str(self.path),
            "verification": self.verification.as_dict(),
            "restore_test": self.restore_test.as_dict() if self.restore_test else None,
        }


def check_backup(path: Path, restore_test_on: BaseDatabaseWrapper | None = None) -> CheckedBackup:
    """Verify the archive ``path``; if it passes and ``restore_test_on`` is given, restore-test
    it on that connection's server too."""
    path = dump_path_for(path)
    with on_interrupt("nothing was changed (a restore test's scratch database is dropped)"):
        verification = verify_backup(path)
        test = None
        if verification.ok and restore_test_on is not None:
            test = restore_test(path, restore_test_on)
    return CheckedBackup(path, verification, test)
