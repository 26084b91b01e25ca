"""A folder of backups: what is in it, and which backups a retention policy deletes.

Only files named like a backup (``YYYYMMDDHHMMSS_<label>.dump``) are backups;
anything else, ``.partial`` files included, is never listed nor touched. A file
named like one whose 14 digits are no time is listed with that problem and never
deleted: its age cannot be read. Prunes of one folder take turns (an exclusive
``flock`` on the folder), so two at once never delete the same backup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from americano.ops.backup.errors import BackupFailed, BackupInputError, ManifestError
from americano.ops.backup.files import (
    DEFAULT_DIRECTORY,
    given_path,
    manifest_path_for,
    parse_name,
)
from americano.ops.backup.manifest import Manifest, load_manifest, utc_text

DEFAULT_KEEP_DAYS = 30
DEFAULT_KEEP_LAST = 3
#: More days than this cannot be a retention period (and overflow a date).
MAX_KEEP_DAYS = 36500
#: The problem of a file named like a backup whose time cannot be read.
NO_TIME = "the time in its name is not a date: never pruned"


@dataclass
class BackupInfo:
    """One backup in a folder, with its manifest if it has a readable one."""

    path: Path
    manifest_path: Path
    #: From the file name; None when its digits are no time.
    created_at: dt.datetime | None
    label: str
    size: int
    manifest: Manifest | None
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        manifest = self.manifest
        return {
            "file": str(self.path),
            "manifest": str(self.manifest_path) if manifest is not None else None,
            "created_at": utc_text(self.created_at) if self.created_at else None,
            "label": self.label,
            "size": self.size,
            "database": manifest.database.get("dbname") if manifest else None,
            "server_version": manifest.server.version if manifest and manifest.server else None,
            "sha256": manifest.dump.sha256 if manifest else None,
            "tables": len(manifest.tables) if manifest else 0,
            "rows": manifest.rows if manifest else 0,
            "migrations": manifest.migration_count if manifest else 0,
            "problem": self.problem,
        }


def _listing_error(directory: Path, error: OSError) -> BackupFailed:
    return BackupFailed(f"cannot read the folder {directory}: {error.strerror or error}")


def list_backups(directory: str | os.PathLike[str] = DEFAULT_DIRECTORY) -> list[BackupInfo]:
    """The backups in ``directory``, newest first, those whose time cannot be read last
    (files not named like a backup are ignored, and so are files deleted meanwhile)."""
    directory = given_path(directory, "--dir")
    if not directory.exists():
        return []
    if not directory.is_dir():
        raise BackupInputError(f"{directory} is not a folder")
    try:
        paths = list(directory.iterdir())
    except OSError as error:
        raise _listing_error(directory, error) from None
    backups = []
    for path in paths:
        named = parse_name(path)
        if named is None:
            continue
        try:
            info = path.stat()
        except FileNotFoundError:  # deleted since the folder was read (another prune)
            continue
        except OSError as error:
            raise _listing_error(directory, error) from None
        if not stat.S_ISREG(info.st_mode):
            continue
        manifest_path = manifest_path_for(path)
        manifest, problem = None, None
        try:
            manifest = load_manifest(manifest_path)
        except ManifestError as error:
            problem = error.brief
        if named[0] is None:
            problem = NO_TIME
        backups.append(BackupInfo(path, manifest_path, *named, info.st_size, manifest, problem))
    backups.sort(key=lambda backup: backup.path.name, reverse=True)
    backups.sort(key=lambda backup: backup.created_at is None)  # stable: newest first stays
    return backups


@dataclass
class BackupListing:
    """The backups of one folder, for ``backup --list``."""

    directory: Path
    backups: list[BackupInfo]

    ok = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": "list",
            "directory": str(self.directory),
            "backups": [backup.as_dict() for backup in self.backups],
        }


@dataclass
class RetentionPlan:
    """Which backups of a folder a retention policy keeps and which it deletes (or would)."""

    directory: Path
    dry_run: bool
    keep_days: int
    keep_last: int
    keep: list[BackupInfo]
    delete: list[BackupInfo]

    ok = True

    @property
    def undated(self) -> list[BackupInfo]:
        """Kept because their age cannot be read from their name."""
        return [backup for backup in self.keep if backup.created_at is None]

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": "prune",
            "directory": str(self.directory),
            "dry_run": self.dry_run,
            "keep_days": self.keep_days,
            "keep_last": self.keep_last,
            "kept": [str(backup.path) for backup in self.keep],
            "deleted": [str(backup.path) for backup in self.delete],
            "undated": [str(backup.path) for backup in self.undated],
        }


@contextlib.contextmanager
def _taking_turns(directory: Path) -> Iterator[None]:
    """Hold the folder's exclusive ``flock`` (released when this process ends, however)."""
    if not directory.is_dir():
        yield
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise _listing_error(directory, error) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def prune_backups(
    directory: str | os.PathLike[str] = DEFAULT_DIRECTORY,
    keep_days: int = DEFAULT_KEEP_DAYS,
    keep_last: int = DEFAULT_KEEP_LAST,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> RetentionPlan:
    """Keep the newest ``keep_last`` backups of ``directory`` and every backup younger than
    ``keep_days`` days, and those whose age cannot be read; delete each other archive with its
    manifest (unless ``dry_run``)."""
    if not 0 <= keep_days <= MAX_KEEP_DAYS or keep_last < 1:
        raise BackupInputError(
            f"retention needs --keep-days from 0 to {MAX_KEEP_DAYS} (100 years) and "
            "--keep-last >= 1"
        )
    directory = given_path(directory, "--dir")
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=keep_days)
    keep, delete = [], []
    with _taking_turns(directory):
        for index, backup in enumerate(list_backups(directory)):
            undated = backup.created_at is None
            spared = index < keep_last or undated or backup.created_at >= cutoff
            (keep if spared else delete).append(backup)
        if not dry_run:
            for backup in delete:
                try:
                    backup.path.unlink(missing_ok=True)
                    backup.manifest_path.unlink(missing_ok=True)
                except OSError as error:
                    raise BackupFailed(
                        f"cannot delete {backup.path}: {error.strerror or error}"
                    ) from None
    return RetentionPlan(directory, dry_run, keep_days, keep_last, keep, delete)
