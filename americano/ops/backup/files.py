"""What backups are called and how their files are written.

An archive is ``YYYYMMDDHHMMSS_<label>.dump`` (the time is UTC) with its
manifest ``YYYYMMDDHHMMSS_<label>.manifest.json`` beside it; both are written as
``*.partial`` first and get their final names only once verified. A backup
holds every row of the database, so its files are readable by their owner only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

from americano.ops.backup.errors import BackupInputError

DUMP_SUFFIX = ".dump"
MANIFEST_SUFFIX = ".manifest.json"
PARTIAL_SUFFIX = ".partial"
DEFAULT_DIRECTORY = Path("backups")
BACKUP_NAME = re.compile(r"^(?P<stamp>\d{14})_(?P<label>[A-Za-z0-9][A-Za-z0-9._-]*)\.dump$")
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
STAMP_FORMAT = "%Y%m%d%H%M%S"


def manifest_path_for(dump: Path) -> Path:
    """The manifest that belongs beside ``dump``."""
    name = dump.name.removesuffix(PARTIAL_SUFFIX).removesuffix(DUMP_SUFFIX)
    return dump.with_name(name + MANIFEST_SUFFIX)


def dump_path_for(path: Path) -> Path:
    """``path`` itself, or the archive a manifest path belongs to."""
    path = Path(path)
    if path.name.endswith(MANIFEST_SUFFIX):
        return path.with_name(path.name.removesuffix(MANIFEST_SUFFIX) + DUMP_SUFFIX)
    return path


def given_path(value: str | os.PathLike[str], what: str) -> Path:
    """``value`` as a path: an empty string given explicitly is refused, not read as ".";
    ``what`` names it in the message (``--dir``)."""
    if isinstance(value, str) and not value.strip():
        raise BackupInputError(f"{what} is empty: give a path")
    return Path(value)


def existing_archive(path: str | os.PathLike[str]) -> Path:
    """The archive ``path`` names (itself, or the one its manifest belongs to), which must exist."""
    archive = dump_path_for(given_path(path, "the backup file"))
    if archive.is_dir():
        raise BackupInputError(f"{archive} is a folder, not a backup: name its .dump file")
    if not archive.is_file():
        raise BackupInputError(f"{archive}: no such file")
    return archive


def checked_label(label: str) -> str:
    """``label``, if it can be part of a backup's file name."""
    if not LABEL.match(label):
        raise BackupInputError(
            f"label {label!r} must be letters, digits, '.', '_' or '-' (at most 64, "
            "starting with a letter or digit)"
        )
    return label


def stamp(moment: dt.datetime) -> str:
    """The time part of a backup's file name."""
    return moment.astimezone(dt.UTC).strftime(STAMP_FORMAT)


def parse_name(path: Path) -> tuple[dt.datetime | None, str] | None:
    """``(made at, label)`` of a file named like a backup, None for any other file; made at is
    None when the 14 digits are not a time (``99999999999999_x.dump``)."""
    match = BACKUP_NAME.match(path.name)
    if not match:
        return None
    try:
        made = dt.datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None, match["label"]
    return made, match["label"]


def private_file(path: Path) -> int:
    """Create ``path`` (it must not exist) readable by its owner only: its descriptor."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def fsync(path: Path) -> None:
    """Flush ``path`` (a file, or a folder after a rename in it) to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
