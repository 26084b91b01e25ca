"""A folder of backups: what is in it, and which backups a retention policy deletes.

Only files named like a backup (``YYYYMMDDHHMMSS_<label>.dump``) are backups;
anything else, ``.partial`` files included, is never listed nor touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from americano.ops.backup.errors import BackupFailed, BackupInputError, ManifestError
from americano.ops.backup.files import DEFAULT_DIRECTORY, manifest_path_for, parse_name
from americano.ops.backup.manifest import Manifest, load_manifest, utc_text

DEFAULT_KEEP_DAYS = 30
DEFAULT_KEEP_LAST = 3


@dataclass
class BackupInfo:
    """One backup in a folder, with its manifest if it has a readable one."""

    path: Path
    manifest_path: Path
    created_at: dt.datetime
    label: str
    size: int
    manifest: Manifest | None
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        manifest = self.manifest
        return {
            "file": str(self.path),
            "manifest": str(self.manifest_path) if manifest is not None else None,
            "created_at": utc_text(self.created_at),
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


def list_backups(directory: Path = DEFAULT_DIRECTORY) -> list[BackupInfo]:
    """The backups in ``directory``, newest first (files not named like a backup are ignored)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    backups = []
    for path in directory.iterdir():
        named = parse_name(path)
        if named is None or not path.is_file():
            continue
        manifest_path = manifest_path_for(path)
        manifest, problem = None, None
        try:
            manifest = load_manifest(manifest_path)
        except ManifestError as error:
            problem = error.brief
        backups.append(
            BackupInfo(path, manifest_path, *named, path.stat().st_size, manifest, problem)
        )
    backups.sort(key=lambda backup: (backup.created_at, backup.path.name), reverse=True)
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": "prune",
            "directory": str(self.directory),
            "dry_run": self.dry_run,
            "keep_days": self.keep_days,
            "keep_last": self.keep_last,
            "kept": [str(backup.path) for backup in self.keep],
            "deleted": [str(backup.path) for backup in self.delete],
        }


def prune_backups(
    directory: Path = DEFAULT_DIRECTORY,
    keep_days: int = DEFAULT_KEEP_DAYS,
    keep_last: int = DEFAULT_KEEP_LAST,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> RetentionPlan:
    """Keep the newest ``keep_last`` backups of ``directory`` and every backup younger than
    ``keep_days`` days; delete each other archive with its manifest (unless ``dry_run``)."""
    if keep_days < 0 or keep_last < 1:
        raise BackupInputError("retention needs --keep-days >= 0 and --keep-last >= 1")
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=keep_days)
    keep, delete = [], []
    for index, backup in enumerate(list_backups(directory)):
        (keep if index < keep_last or backup.created_at >= cutoff else delete).append(backup)
    if not dry_run:
        for backup in delete:
            try:
                backup.path.unlink(missing_ok=True)
                backup.manifest_path.unlink(missing_ok=True)
            except OSError as error:
                raise BackupFailed(
                    f"cannot delete {backup.path}: {error.strerror or error}"
                ) from None
    return RetentionPlan(Path(directory), dry_run, keep_days, keep_last, keep, delete)
