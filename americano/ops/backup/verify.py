"""Reading an archive back: is it whole, and is it what its manifest says?

The checks need no server: the file's header, its size and sha256 against the
manifest, and ``pg_restore --list``, which must list the data of every table
the manifest counts. The same checks run before a backup gets its final name,
for ``backup --verify``, before every restore and on the admin's Backups page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from americano.ops.backup.contents import qualified
from americano.ops.backup.errors import ManifestError
from americano.ops.backup.files import dump_path_for, manifest_path_for, sha256
from americano.ops.backup.manifest import Manifest, load_manifest
from americano.ops.pgtools import PgTool, PgToolError, find_tool, run_tool


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
    if made_by is None or not made_by.version:
        return find_tool("pg_restore", None)
    major = int(made_by.version.split(".")[0])
    return find_tool("pg_restore", major, f"the archive (made by pg_dump {made_by.version})")


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


def _toc_tables(listing: str) -> set[str]:
    """``schema.table`` of every TABLE DATA entry of ``pg_restore --list``."""
    tables = set()
    for line in listing.splitlines():
        if line.startswith(";") or " TABLE DATA " not in line:
            continue
        rest = line.split(" TABLE DATA ", 1)[1].rstrip()
        schema_and_name = rest.rsplit(" ", 1)[0] if rest.count(" ") >= 2 else rest
        schema, _, name = schema_and_name.partition(" ")
        tables.add(qualified(schema, name))
    return tables


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
    """Check the archive ``path`` against the manifest ``manifest_path`` (also ``.partial``s)."""
    result = Verification()
    if not path.is_file():
        result.problems.append(f"{path} does not exist")
        return result
    header_problem = _header_problem(path)
    if header_problem:
        result.problems.append(header_problem)
        return result
    result.checks.append("header: pg_dump custom-format archive")
    manifest = None
    try:
        manifest = load_manifest(manifest_path)
    except ManifestError as error:
        result.problems.append(str(error))
    if manifest is not None:
        problem = _file_problem(path, manifest)
        if problem:
            result.problems.append(problem)
        else:
            result.checks.append(f"size and sha256 match the manifest ({manifest.dump.size} bytes)")
    try:
        tool = pg_restore or pg_restore_for(manifest)
        listing = run_tool(tool, ["--list", str(path)], what="pg_restore --list")
    except PgToolError as error:
        result.problems.append(f"pg_restore --list cannot read it: {error}")
        return result
    listed = _toc_tables(listing)
    if manifest is not None:
        missing = sorted(set(manifest.tables) - listed)
        if missing:
            result.problems.append(
                f"{len(missing)} tables of the manifest have no data in the archive: "
                + ", ".join(missing[:5])
            )
            return result
    result.checks.append(f"pg_restore --list reads the archive ({len(listed)} tables with data)")
    return result


def verify_backup(path: Path, *, pg_restore: PgTool | None = None) -> Verification:
    """Check an archive against its manifest: header, size, sha256, ``pg_restore --list``."""
    path = dump_path_for(path)
    return verify_archive(path, manifest_path_for(path), pg_restore)
