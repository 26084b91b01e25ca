"""Reading an archive back: is it whole, and is it what its manifest says?

The checks need no server: the file's header; its size and sha256 against the
manifest; ``pg_restore --file=/dev/null``, which reads and decompresses every data
block, so a damaged or cut data section fails even under a manifest rewritten to
match; and ``pg_restore --list``, whose table of contents must hold the data of
exactly the tables the manifest counts, both ways. Tables are matched by OID (the
third number of a TOC line), because names may hold spaces or newlines, which the
listing cannot show unambiguously; manifests from before OIDs were recorded are
matched by name. The same checks run before a backup gets its final name, for
``backup --verify``, before every restore and on the admin's Backups page.

A pg_restore that is missing or too old is the environment's fault (PgToolError,
exit 2), never the archive's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from americano.ops.backup.errors import ManifestError
from americano.ops.backup.files import dump_path_for, manifest_path_for, sha256
from americano.ops.backup.manifest import Manifest, load_manifest
from americano.ops.pgtools import PgTool, PgToolFailed, ToolRun, find_tool, run_tool

#: A TABLE DATA line of ``pg_restore --list``: ``<id>; <catalog> <oid> TABLE DATA <rest>``.
_TABLE_DATA = re.compile(r"^\d+; \d+ (?P<oid>\d+) TABLE DATA (?P<shown>.*)$")


@dataclass
class Verification:
    """What was checked, and what was wrong: ``ok`` only with no problem."""

    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def extend(self, other: Verification) -> None:
        """Add the checks and problems of ``other`` (a later stage of the same work)."""
        self.checks.extend(other.checks)
        self.problems.extend(other.problems)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": self.checks, "problems": self.problems}


def pg_restore_for(manifest: Manifest | None) -> PgTool:
    """A pg_restore that can read an archive made by the pg_dump named in ``manifest``."""
    made_by = manifest.tools.pg_dump if manifest and manifest.tools else None
    major = re.match(r"\d+", made_by.version) if made_by else None
    if made_by is None or major is None:
        return find_tool("pg_restore", None)
    return find_tool(
        "pg_restore", int(major.group()), f"the archive (made by pg_dump {made_by.version})"
    )


def _header_problem(path: Path) -> str | None:
    """Why ``path`` is not a pg_dump custom-format archive, or None if its header says it is."""
    try:
        with path.open("rb") as handle:
            header = handle.read(11)
    except OSError as error:
        return f"cannot read it: {error.strerror or error}"
    if not header.startswith(b"PGDMP"):
        return "it is not a pg_dump archive (no PGDMP header)"
    if len(header) < 11 or header[10] != 1:
        return "it is a pg_dump archive but not in custom format (-Fc)"
    return None


@dataclass(frozen=True)
class _DataEntry:
    """The data of one table in an archive's table of contents."""

    oid: int
    #: ``schema table owner`` as the listing shows them (newlines shown as spaces).
    shown: str


def _data_entries(listing: str) -> list[_DataEntry]:
    return [
        _DataEntry(int(match["oid"]), match["shown"])
        for match in map(_TABLE_DATA.match, listing.splitlines())
        if match
    ]


def _shown_as(table: str) -> tuple[str, ...]:
    """How the listing may begin the entry of ``schema.table`` (a dot in a name makes
    several splits possible)."""
    table = table.replace("\n", " ").replace("\r", " ")
    dots = [index for index, char in enumerate(table) if char == "."]
    return tuple(f"{table[:dot]} {table[dot + 1 :]} " for dot in dots)


def _unmatched(manifest: Manifest, entries: list[_DataEntry]) -> tuple[list[str], list[str]]:
    """The manifest's tables without data in the archive, and the archive's data entries of
    tables the manifest does not count."""
    if manifest.table_oids:
        oids = {
            oid: table for table, oid in manifest.table_oids.items() if table in manifest.tables
        }
        expected = set(oids) | set(manifest.extension_tables.values())
        archived = {entry.oid for entry in entries}
        missing = [
            table for table in manifest.tables if manifest.table_oids.get(table) not in archived
        ]
        extra = [entry.shown for entry in entries if entry.oid not in expected]
        return sorted(missing), sorted(extra)
    # Written before OIDs were recorded: by name.
    shown = {table: _shown_as(table) for table in [*manifest.tables, *manifest.extension_tables]}
    missing = [
        table
        for table in manifest.tables
        if not any(entry.shown.startswith(shown[table]) for entry in entries)
    ]
    extra = [
        entry.shown
        for entry in entries
        if not any(entry.shown.startswith(prefixes) for prefixes in shown.values())
    ]
    return sorted(missing), sorted(extra)


def _table_problems(manifest: Manifest, entries: list[_DataEntry]) -> list[str]:
    missing, extra = _unmatched(manifest, entries)
    problems = []
    if missing:
        problems.append(
            f"{len(missing)} tables of the manifest have no data in the archive: "
            + ", ".join(missing[:5])
        )
    if extra:
        problems.append(
            f"the archive holds the data of {len(extra)} tables the manifest does not count: "
            + ", ".join(extra[:5])
        )
    return problems


def _file_problem(path: Path, manifest: Manifest) -> str | None:
    """Why the file is not the one the manifest describes (size, then sha256), or None."""
    size, expected = path.stat().st_size, manifest.dump.size
    if size != expected:
        return f"size is {size} bytes, the manifest says {expected}" + (
            " (truncated)" if size < expected else ""
        )
    if sha256(path) != manifest.dump.sha256:
        return "sha256 differs from the manifest: the file is corrupt or changed"
    return None


def verify_archive(path: Path, manifest_path: Path, pg_restore: PgTool | None) -> Verification:
    """Check the archive ``path`` against the manifest ``manifest_path`` (also ``.partial``s).

    pg_restore reads the whole archive while the sha256 is computed: the two
    reads share the time it takes.
    """
    result = Verification()
    if not path.is_file():
        result.problems.append(f"{path} does not exist")
        return result
    header_problem = _header_problem(path)
    if header_problem:
        result.problems.append(header_problem)
        return result
    result.checks.append("header: pg_dump custom-format archive")
    try:
        manifest = load_manifest(manifest_path)
    except ManifestError as error:
        result.problems.append(str(error))
        return result
    tool = pg_restore or pg_restore_for(manifest)
    with ToolRun(tool, [f"--file={os.devnull}", str(path)], os.environ) as whole:
        problem = _file_problem(path, manifest)
        if problem:
            result.problems.append(problem)
            return result
        result.checks.append(f"size and sha256 match the manifest ({manifest.dump.size} bytes)")
        try:
            listing = run_tool(tool, ["--list", str(path)], what="pg_restore --list")
        except PgToolFailed as error:
            result.problems.append(f"pg_restore --list cannot read it: {error}")
            return result
        try:
            whole.check("pg_restore")
        except PgToolFailed as error:
            result.problems.append(f"the data cannot be read back: {error}")
            return result
    result.checks.append("pg_restore reads every data block of the archive")
    entries = _data_entries(listing)
    result.problems.extend(_table_problems(manifest, entries))
    if result.ok:
        result.checks.append(
            f"pg_restore --list reads the archive ({len(entries)} tables with data)"
        )
    return result


def verify_backup(path: Path, *, pg_restore: PgTool | None = None) -> Verification:
    """Check an archive against its manifest: header, size, sha256, every data block, and
    the tables of its table of contents."""
    path = dump_path_for(path)
    return verify_archive(path, manifest_path_for(path), pg_restore)
