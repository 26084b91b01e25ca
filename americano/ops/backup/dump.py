"""Making a backup: pg_dump and the row counts in one snapshot, then reading it all back.

The row counts, table OIDs and applied migrations of the manifest are read in
the very snapshot that pg_dump dumps (``pg_export_snapshot``), so they describe
exactly what the archive holds, even while the database is being written to or
migrated. A backup gets its final name only once it has been read back; until
then its files are ``.partial``, and an interruption (SIGINT, SIGTERM) or a
failure removes them: only a verification that fails leaves them for inspection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.core import progress
from americano.core.interrupts import deferred_interrupts
from americano.ops.backup import trial
from americano.ops.backup.contents import (
    count_rows,
    extension_tables,
    qualified,
    read_applied,
    user_tables,
)
from americano.ops.backup.errors import BackupFailed, BackupInputError, on_interrupt
from americano.ops.backup.files import (
    DEFAULT_DIRECTORY,
    DUMP_SUFFIX,
    PARTIAL_SUFFIX,
    checked_label,
    fsync,
    given_path,
    manifest_path_for,
    private_file,
    sha256,
    stamp,
)
from americano.ops.backup.manifest import (
    Archive,
    Manifest,
    Program,
    Server,
    Timings,
    Tools,
    write_manifest,
)
from americano.ops.backup.restore import rounded_seconds
from americano.ops.backup.verify import Verification, verify_archive
from americano.ops.databases import describe
from americano.ops.pgtools import (
    ConnInfo,
    PgTool,
    ToolRun,
    find_tool,
    sibling_tool,
)

#: The progress task of a dump.
TASK = "pg_dump"
_DUMPING = re.compile(r'dumping contents of table "(?P<name>.+)"$')


@dataclass
class BackupResult:
    """A backup written and read back (``verification``), and restore-tested if asked;
    the paths are final only when the verification passed."""

    path: Path
    manifest_path: Path
    manifest: Manifest
    database: str
    verification: Verification
    pg_dump: PgTool
    pg_restore: PgTool
    seconds: dict[str, float]
    restore_test: trial.RestoreTest | None = None

    @property
    def verified(self) -> bool:
        return self.verification.ok

    @property
    def ok(self) -> bool:
        return self.verified and (self.restore_test is None or self.restore_test.ok)

    def as_dict(self) -> dict[str, Any]:
        manifest = self.manifest
        return {
            "action": "backup",
            "ok": self.ok,
            "file": str(self.path),
            "manifest": str(self.manifest_path),
            "database": self.database,
            "server_version": manifest.server.version if manifest.server else None,
            "size": manifest.dump.size,
            "sha256": manifest.dump.sha256,
            "tables": len(manifest.tables),
            "rows": manifest.rows,
            "migrations": manifest.migration_count,
            "pg_dump": self.pg_dump.as_dict(),
            "pg_restore": self.pg_restore.as_dict(),
            "verification": self.verification.as_dict(),
            "restore_test": self.restore_test.as_dict() if self.restore_test else None,
            "seconds": rounded_seconds(self.seconds),
        }


def matching_pg_restore(pg_dump: PgTool) -> PgTool:
    """A pg_restore that can read what ``pg_dump`` writes: its sibling if it has one."""
    sibling = sibling_tool(pg_dump, "pg_restore")
    if sibling is not None and sibling.major >= pg_dump.major:
        return sibling
    return find_tool(
        "pg_restore", pg_dump.major, f"the archive (made by pg_dump {pg_dump.version})"
    )


def _tools(pg_dump: PgTool, pg_restore: PgTool) -> Tools:
    import django

    try:
        from importlib.metadata import version

        americano = version("americano-db")
    except Exception:  # not installed as a distribution: a plain checkout
        americano = None
    return Tools(
        pg_dump=Program(pg_dump.version, pg_dump.path),
        pg_restore=Program(pg_restore.version, pg_restore.path),
        python=platform.python_version(),
        django=django.get_version(),
        psycopg=psycopg.__version__,
        americano=americano,
    )


def _progress_reporter(sizes: Mapping[str, int]) -> Callable[[str], None]:
    """An ``on_line`` for pg_dump --verbose that reports the share of table bytes dumped."""
    total = float(sum(sizes.values()) or 1)
    done, current = 0.0, 0

    def on_line(line: str) -> None:
        nonlocal done, current
        match = _DUMPING.search(line)
        if match:
            done += current
            current = sizes.get(match["name"], 0)
            progress.report(TASK, done, total, match["name"])

    return on_line


def _folder(directory: Path) -> Path:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupInputError(f"cannot create {directory}: {error.strerror or error}") from None
    return directory


def _claim(partial: Path, final: Path) -> None:
    """Create the empty ``partial`` file (it must not exist): the folder can be written, and
    no other backup of the same second and label runs."""
    if final.exists():
        raise BackupInputError(f"{final} already exists: use another --label or wait a second")
    try:
        os.close(private_file(partial))
    except FileExistsError:
        raise BackupInputError(
            f"{partial} exists: another backup with this label is running (or was killed: "
            "delete the file)"
        ) from None
    except OSError as error:
        raise BackupFailed(f"cannot write in {partial.parent}: {error.strerror or error}") from None


@dataclass
class _Dumped:
    """What one snapshot gave: the archive's server, programs, migrations and row counts."""

    server: Server
    pg_dump: PgTool
    pg_restore: PgTool
    migrations: dict[str, list[str]]
    counts: dict[str, int]
    oids: dict[str, int]
    extension_tables: dict[str, int]
    count_seconds: float


def _dump_in_one_snapshot(conn: ConnInfo, partial: Path, compress: str | None) -> _Dumped:
    """pg_dump into ``partial`` while counting the rows in the snapshot it dumps."""
    try:
        with conn.connect(autocommit=False) as db:
            return _dump_with(db, conn, partial, compress)
    except psycopg.Error as error:
        raise BackupFailed(f"reading the database failed: {conn.scrub(str(error))}") from None


def _dump_with(
    db: psycopg.Connection, conn: ConnInfo, partial: Path, compress: str | None
) -> _Dumped:
    version, version_num = db.execute(
        "SELECT current_setting('server_version'), current_setting('server_version_num')::int"
    ).fetchone()
    db.rollback()
    pg_dump = find_tool("pg_dump", version_num // 10000, f"the server (PostgreSQL {version})")
    pg_restore = matching_pg_restore(pg_dump)

    # One snapshot for pg_dump and for the counts: the manifest describes the archive.
    db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    db.read_only = True
    snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()[0]
    # The counts only have to be done before pg_dump is: no parallel workers taking
    # CPUs from it.
    db.execute("SET LOCAL max_parallel_workers_per_gather = 0")
    tables = user_tables(db)
    sizes = {qualified(schema, table): size for schema, table, size, _ in tables}
    args = ["--format=custom", "--verbose", f"--snapshot={snapshot}", f"--file={partial}"]
    if compress:
        args.append(f"--compress={compress}")
    args.append(conn.dbname_arg())
    counts: dict[str, int] = {}
    with (
        conn.child_env() as env,
        ToolRun(pg_dump, args, env, on_line=_progress_reporter(sizes), scrub=conn.scrub) as run,
    ):
        count_started = time.monotonic()
        for schema, table, _, _ in tables:
            counts[qualified(schema, table)] = count_rows(db, schema, table)
        count_seconds = time.monotonic() - count_started
        run.check("pg_dump")
    return _Dumped(
        server=Server(version, version_num),
        pg_dump=pg_dump,
        pg_restore=pg_restore,
        migrations=read_applied(db),
        counts=counts,
        oids={qualified(schema, table): oid for schema, table, _, oid in tables},
        extension_tables=extension_tables(db),
        count_seconds=count_seconds,
    )


@contextlib.contextmanager
def _removed_on_error(final: Path) -> Iterator[None]:
    """On any error or interruption inside the block, remove what the backup ``final`` has
    written so far; an OSError (a full disk) becomes a one-line BackupFailed."""
    try:
        yield
    except BaseException as error:
        final_manifest = manifest_path_for(final)
        with deferred_interrupts():
            for path in (final, final_manifest):
                path.with_name(path.name + PARTIAL_SUFFIX).unlink(missing_ok=True)
            if not final.exists():  # interrupted between the two renames
                final_manifest.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BackupFailed(f"writing the backup failed: {error.strerror or error}") from None
        raise


def _write_and_verify(
    connection: BaseDatabaseWrapper,
    final: Path,
    label: str,
    created: dt.datetime,
    compress: str | None,
) -> BackupResult:
    """Dump into ``final``'s ``.partial``, write its manifest, read both back, and give them
    their final names if they pass."""
    started = time.monotonic()
    conn = ConnInfo.from_django(connection)
    partial = final.with_name(final.name + PARTIAL_SUFFIX)
    final_manifest = manifest_path_for(final)
    partial_manifest = final_manifest.with_name(final_manifest.name + PARTIAL_SUFFIX)
    dumped = _dump_in_one_snapshot(conn, partial, compress)
    dump_seconds = time.monotonic() - started

    hash_started = time.monotonic()
    archive = Archive(
        sha256=sha256(partial), size=partial.stat().st_size, compression=compress or "default"
    )
    hash_seconds = time.monotonic() - hash_started
    manifest = Manifest(
        dump=archive,
        tables=dumped.counts,
        file=final.name,
        label=label,
        created_at=created,
        database=conn.public(),
        server=dumped.server,
        migrations=dumped.migrations,
        tools=_tools(dumped.pg_dump, dumped.pg_restore),
        timings=Timings(
            dump_seconds=round(dump_seconds, 3),
            count_seconds=round(dumped.count_seconds, 3),
            hash_seconds=round(hash_seconds, 3),
        ),
        table_oids=dumped.oids,
        extension_tables=dumped.extension_tables,
    )
    write_manifest(partial_manifest, manifest)

    verify_started = time.monotonic()
    verification = verify_archive(partial, partial_manifest, dumped.pg_restore)
    verify_seconds = time.monotonic() - verify_started
    path, manifest_path = partial, partial_manifest
    if verification.ok:
        os.replace(partial_manifest, final_manifest)
        os.replace(partial, final)
        fsync(final.parent)
        path, manifest_path = final, final_manifest
    seconds = {
        "dump": dump_seconds,
        "count": dumped.count_seconds,
        "hash": hash_seconds,
        "verify": verify_seconds,
        "total": time.monotonic() - started,
    }
    return BackupResult(
        path,
        manifest_path,
        manifest,
        describe(connection),
        verification,
        dumped.pg_dump,
        dumped.pg_restore,
        seconds,
    )


def create_backup(
    connection: BaseDatabaseWrapper,
    directory: str | os.PathLike[str] = DEFAULT_DIRECTORY,
    label: str | None = None,
    *,
    compress: str | None = None,
    restore_test: bool = False,
    now: dt.datetime | None = None,
) -> BackupResult:
    """Dump ``connection``'s database into ``directory``, write its manifest and read both back;
    with ``restore_test``, also restore it into a throwaway database on the same server.

    The archive and manifest get their final names only when the verification
    passes; otherwise they stay as ``*.partial`` files for inspection and the
    result is not ok. An error or an interruption removes them; an interruption
    becomes BackupInterrupted, which says so.
    """
    default_label = ConnInfo.from_django(connection).dbname or "database"
    label = checked_label(default_label if label is None else label)
    if compress is not None and not compress.strip():
        raise BackupInputError("--compress is empty: give a method such as gzip:6, or leave it out")
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    final = _folder(given_path(directory, "--dir")) / f"{stamp(created)}_{label}{DUMP_SUFFIX}"
    _claim(final.with_name(final.name + PARTIAL_SUFFIX), final)
    with (
        on_interrupt("no backup was made; its .partial files were removed"),
        _removed_on_error(final),
    ):
        result = _write_and_verify(connection, final, label, created, compress)
    if restore_test and result.verified:
        with on_interrupt(
            f"the backup {result.path} is made and verified; its restore test was stopped "
            "and the scratch database dropped"
        ):
            started = time.monotonic()
            result.restore_test = trial.restore_test(result.path, connection)
            result.seconds["total"] += time.monotonic() - started
    return result
