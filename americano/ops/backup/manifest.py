"""The manifest beside each archive: what the archive holds, typed, and its JSON file.

The file format is stable (``manifest_version`` 1, docs/backups.md): the keys
are written in the same order as ever, and every manifest an earlier version
wrote still loads. Only what verification needs is required (the archive's
sha256 and size, and the table counts); the other parts may be missing from a
manifest written by hand, and are None then, but must have the right shape when
present.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from americano.ops.backup.errors import BackupCorrupt, ManifestError
from americano.ops.backup.files import manifest_path_for, private_file

MANIFEST_FORMAT = "americano-backup"
MANIFEST_VERSION = 1
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

T = TypeVar("T")


def _expect(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """``value`` if it is of JSON type ``kind`` (a bool is no number here)."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ManifestError(f"the manifest's {what} is malformed")
    return value


def _object(value: Any, what: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """``value``, a JSON object with at least ``keys``."""
    _expect(value, dict, what)
    missing = [key for key in keys if key not in value]
    if missing:
        raise ManifestError(f"the manifest's {what} has no {', '.join(missing)}")
    return value


def _optional(data: dict[str, Any], key: str, read: Callable[[Any], T]) -> T | None:
    value = data.get(key)
    return None if value is None else read(value)


@dataclass(frozen=True)
class Program:
    """A client program, as the manifest records it."""

    version: str
    path: str

    @classmethod
    def from_json(cls, data: Any, what: str) -> Program:
        data = _object(data, what, ("version", "path"))
        return cls(_expect(data["version"], str, what), _expect(data["path"], str, what))

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "path": self.path}


@dataclass(frozen=True)
class Tools:
    """The programs and libraries that made the backup."""

    pg_dump: Program | None
    pg_restore: Program | None
    python: str | None
    django: str | None
    psycopg: str | None
    americano: str | None

    @classmethod
    def from_json(cls, data: Any) -> Tools:
        data = _object(data, "tools", ())
        programs = {
            name: _optional(data, name, lambda value, n=name: Program.from_json(value, n))
            for name in ("pg_dump", "pg_restore")
        }
        versions = {
            name: _optional(data, name, lambda value, n=name: _expect(value, str, n))
            for name in ("python", "django", "psycopg", "americano")
        }
        return cls(**programs, **versions)

    def to_json(self) -> dict[str, Any]:
        return {
            "pg_dump": self.pg_dump.to_json() if self.pg_dump else None,
            "pg_restore": self.pg_restore.to_json() if self.pg_restore else None,
            "python": self.python,
            "django": self.django,
            "psycopg": self.psycopg,
            "americano": self.americano,
        }


@dataclass(frozen=True)
class Server:
    """The server the database was dumped from."""

    version: str
    version_num: int

    @classmethod
    def from_json(cls, data: Any) -> Server:
        data = _object(data, "server", ("version", "version_num"))
        return cls(
            _expect(data["version"], str, "server version"),
            _expect(data["version_num"], int, "server version_num"),
        )

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "version_num": self.version_num}


@dataclass(frozen=True)
class Archive:
    """The archive file: how to recognise it, and how it was written."""

    sha256: str
    size: int
    format: str = "custom"
    compression: str = "default"
    snapshot: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "size": self.size,
            "format": self.format,
            "compression": self.compression,
            "snapshot": self.snapshot,
        }


@dataclass(frozen=True)
class Timings:
    """How long the parts of making the backup took, in seconds."""

    dump_seconds: float
    count_seconds: float
    hash_seconds: float

    @classmethod
    def from_json(cls, data: Any) -> Timings:
        names = ("dump_seconds", "count_seconds", "hash_seconds")
        data = _object(data, "timings", names)
        return cls(*(_expect(data[name], (int, float), name) for name in names))

    def to_json(self) -> dict[str, Any]:
        return {
            "dump_seconds": self.dump_seconds,
            "count_seconds": self.count_seconds,
            "hash_seconds": self.hash_seconds,
        }


def utc_text(moment: dt.datetime) -> str:
    """``moment`` as the manifest and the listings write it: ``YYYY-MM-DDTHH:MM:SSZ``."""
    return moment.astimezone(dt.UTC).strftime(TIME_FORMAT)


def _time(value: Any) -> dt.datetime:
    try:
        return dt.datetime.strptime(_expect(value, str, "created_at"), TIME_FORMAT).replace(
            tzinfo=dt.UTC
        )
    except ValueError:
        raise ManifestError("the manifest's created_at is malformed") from None


def _names(value: Any, what: str) -> list[str]:
    return [_expect(name, str, what) for name in _expect(value, list, what)]


def _numbers(value: Any, what: str) -> dict[str, int]:
    """A JSON object of whole numbers, keyed by table."""
    return {
        table: _expect(number, int, what) for table, number in _expect(value, dict, what).items()
    }


@dataclass(frozen=True)
class Manifest:
    """What an archive holds, read in the snapshot that pg_dump dumped."""

    dump: Archive
    #: Rows of every table whose rows pg_dump dumps, keyed ``schema.table``.
    tables: dict[str, int]
    file: str | None = None
    label: str | None = None
    created_at: dt.datetime | None = None
    #: The libpq parameters of the database, without any secret.
    database: dict[str, str] = field(default_factory=dict)
    server: Server | None = None
    #: ``{app: [migration, ...]}`` in the order applied.
    migrations: dict[str, list[str]] = field(default_factory=dict)
    tools: Tools | None = None
    timings: Timings | None = None
    #: The OID of every table of ``tables`` in the dumped database, which the archive's table
    #: of contents names its data by (empty in manifests written before it was recorded).
    table_oids: dict[str, int] = field(default_factory=dict)
    #: Extensions' configuration tables whose rows the archive holds too: ``{table: oid}``.
    extension_tables: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @property
    def migration_count(self) -> int:
        return sum(len(names) for names in self.migrations.values())

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """The manifest in the JSON document ``data``; ManifestError says what is wrong."""
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ManifestError(f"the manifest is not an {MANIFEST_FORMAT} manifest")
        if data.get("manifest_version") != MANIFEST_VERSION:
            raise ManifestError(
                f"manifest version {data.get('manifest_version')!r} is not supported"
            )
        dump, tables = data.get("dump"), data.get("tables")
        if not isinstance(dump, dict) or not isinstance(dump.get("sha256"), str):
            raise ManifestError("the manifest has no sha256")
        if not isinstance(dump.get("size"), int) or not isinstance(tables, dict):
            raise ManifestError("the manifest has no size or no table counts")
        defaults = Archive(dump["sha256"], dump["size"])
        return cls(
            dump=Archive(
                dump["sha256"],
                dump["size"],
                _expect(dump.get("format", defaults.format), str, "dump format"),
                _expect(dump.get("compression", defaults.compression), str, "compression"),
                _expect(dump.get("snapshot", defaults.snapshot), bool, "snapshot"),
            ),
            tables=_numbers(tables, "table counts"),
            file=_optional(data, "file", lambda value: _expect(value, str, "file")),
            label=_optional(data, "label", lambda value: _expect(value, str, "label")),
            created_at=_optional(data, "created_at", _time),
            database={
                key: _expect(value, str, "database")
                for key, value in _expect(data.get("database", {}), dict, "database").items()
            },
            server=_optional(data, "server", Server.from_json),
            migrations={
                app: _names(names, "migrations")
                for app, names in _expect(data.get("migrations", {}), dict, "migrations").items()
            },
            tools=_optional(data, "tools", Tools.from_json),
            timings=_optional(data, "timings", Timings.from_json),
            table_oids=_numbers(data.get("table_oids", {}), "table_oids"),
            extension_tables=_numbers(data.get("extension_tables", {}), "extension_tables"),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON document of the manifest file, keys in their documented order."""
        return {
            "format": MANIFEST_FORMAT,
            "manifest_version": MANIFEST_VERSION,
            "file": self.file,
            "label": self.label,
            "created_at": utc_text(self.created_at) if self.created_at else None,
            "database": self.database,
            "server": self.server.to_json() if self.server else None,
            "migrations": self.migrations,
            "dump": self.dump.to_json(),
            "tables": self.tables,
            "rows": self.rows,
            "table_oids": self.table_oids,
            "extension_tables": self.extension_tables,
            "tools": self.tools.to_json() if self.tools else None,
            "timings": self.timings.to_json() if self.timings else None,
        }


def load_manifest(path: Path) -> Manifest:
    """The manifest in the file ``path``; ManifestError if it is missing or not a manifest."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ManifestError(f"no manifest {path.name} beside it", "no manifest") from None
    except (OSError, ValueError) as error:
        raise ManifestError(
            f"manifest {path.name} is unreadable: {error}", "unreadable manifest"
        ) from None
    return Manifest.from_json(data)


def read_manifest(archive: Path) -> Manifest:
    """The manifest of the archive ``archive``; BackupCorrupt if it has no good one."""
    try:
        return load_manifest(manifest_path_for(archive))
    except ManifestError as error:
        raise BackupCorrupt(archive, [str(error)]) from None


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Write ``manifest`` to the new file ``path`` (mode 0600) and flush it to disk."""
    with os.fdopen(private_file(path), "w") as handle:
        json.dump(manifest.to_json(), handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
