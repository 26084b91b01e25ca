"""Backups a DBA can trust, and restores that leave nothing half done.

A backup is a ``pg_dump --format=custom`` archive ``YYYYMMDDHHMMSS_<label>.dump``
with a JSON manifest ``YYYYMMDDHHMMSS_<label>.manifest.json`` beside it. The
row counts and applied migrations in the manifest are read in the very
snapshot that pg_dump dumps (``pg_export_snapshot``), so they describe exactly
what the archive holds, even while the database is being written to. A backup
is only reported as made once it has been read back: size, sha256 and
``pg_restore --list`` of the file against its manifest.

A restore verifies the archive first, refuses to write over a database that
has tables unless told to, runs in one transaction so that a failure leaves
the target as it was, and compares the result with the manifest.

Nothing here prints: the commands ``backup`` and ``restore`` do. Errors are
:class:`BackupError` (or :class:`~americano.ops.pgtools.PgToolError` from the
client programs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import secrets
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from americano.ops.pgtools import ConnInfo, PgTool, PgToolError, ToolRun, find_tool, sibling_tool

MANIFEST_FORMAT = "americano-backup"
MANIFEST_VERSION = 1
DUMP_SUFFIX = ".dump"
MANIFEST_SUFFIX = ".manifest.json"
PARTIAL_SUFFIX = ".partial"
DEFAULT_DIRECTORY = Path("backups")
DEFAULT_KEEP_DAYS = 30
DEFAULT_KEEP_LAST = 3
BACKUP_NAME = re.compile(r"^(?P<stamp>\d{14})_(?P<label>[A-Za-z0-9][A-Za-z0-9._-]*)\.dump$")
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
STAMP_FORMAT = "%Y%m%d%H%M%S"
#: How long a forced restore waits for the locks it needs to drop the old tables.
DROP_LOCK_TIMEOUT = "60s"

#: Schemas that belong to PostgreSQL itself, as a SQL condition on ``n.nspname``.
_USER_SCHEMA = "n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"
_NOT_EXTENSION_MEMBER = (
    "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = {catalog}::regclass"
    " AND d.objid = {oid} AND d.deptype = 'e')"
)
_TABLES_SQL = f"""
    SELECT n.nspname, c.relname, pg_relation_size(c.oid)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND {_USER_SCHEMA}
      AND {_NOT_EXTENSION_MEMBER.format(catalog="'pg_class'", oid="c.oid")}
    ORDER BY 1, 2
"""
_RELATION_KINDS = {
    "r": "table",
    "p": "table",
    "v": "view",
    "m": "materialized view",
    "S": "sequence",
    "f": "foreign table",
}


class BackupError(Exception):
    """A backup, verification or restore could not be carried out (exit status 2)."""


class BackupCorrupt(BackupError):
    """An archive failed verification, so it is not restored (exit status 1)."""

    def __init__(self, path: Path, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = list(problems)
        super().__init__(f"{path} failed verification: {'; '.join(self.problems)}")


class TargetNotEmpty(BackupError):
    """The target database has tables and ``force`` was not given."""

    def __init__(self, target: str, contents: TargetContents) -> None:
        self.contents = contents
        sample = ", ".join(contents.relations[:5])
        more = f" and {len(contents.relations) - 5} more" if len(contents.relations) > 5 else ""
        super().__init__(
            f"{target} is not empty ({contents.summary()}: {sample}{more}); pass --force to drop "
            "them, or --target-url an empty database"
        )


@dataclass
class Progress:
    """How far a long dump or restore has got, for a progress display."""

    phase: str
    done: float
    total: float
    item: str = ""


ProgressCallback = Callable[[Progress], None]


@dataclass
class Verification:
    """What was checked, and what was wrong: ``ok`` only with no problem."""

    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": self.checks, "problems": self.problems}


@dataclass
class RestoreTest:
    """A restore of an archive into a scratch database, compared with its manifest."""

    database: str
    verification: Verification
    tables: int
    rows: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.verification.ok

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "database": self.database,
            "tables": self.tables,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "problems": self.verification.problems,
        }


@dataclass
class BackupResult:
    """A backup written and read back (``verification``); paths are final only when ok."""

    path: Path
    manifest_path: Path
    manifest: dict[str, Any]
    verification: Verification
    pg_dump: PgTool
    pg_restore: PgTool
    seconds: dict[str, float]

    @property
    def ok(self) -> bool:
        return self.verification.ok


@dataclass
class BackupInfo:
    """One backup in a folder, with its manifest if it has a readable one."""

    path: Path
    manifest_path: Path
    created_at: dt.datetime
    label: str
    size: int
    manifest: dict[str, Any] | None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        manifest = self.manifest or {}
        return {
            "file": str(self.path),
            "manifest": str(self.manifest_path) if self.manifest is not None else None,
            "created_at": _iso(self.created_at),
            "label": self.label,
            "size": self.size,
            "database": manifest.get("database", {}).get("dbname"),
            "server_version": manifest.get("server", {}).get("version"),
            "sha256": manifest.get("dump", {}).get("sha256"),
            "tables": len(manifest.get("tables", {})),
            "rows": sum(manifest.get("tables", {}).values()),
            "migrations": sum(len(names) for names in manifest.get("migrations", {}).values()),
            "problem": self.problem,
        }


@dataclass
class RetentionPlan:
    """Which backups a retention policy keeps and which it deletes."""

    keep_days: int
    keep_last: int
    keep: list[BackupInfo]
    delete: list[BackupInfo]


@dataclass
class TargetContents:
    """What a database holds outside PostgreSQL's own schemas."""

    relations: list[str]
    kinds: dict[str, int]
    schemas: list[str]
    types: int
    functions: int
    extensions: list[str]

    @property
    def empty(self) -> bool:
        return not self.relations

    def summary(self) -> str:
        parts = [f"{count} {kind}{'s' if count != 1 else ''}" for kind, count in self.kinds.items()]
        return ", ".join(parts) or "no tables"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MigrationState:
    """Applied migrations of a database against the migrations of this code."""

    applied: int
    pending: list[str]
    unknown: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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


# -- names and manifests ---------------------------------------------------------------


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def manifest_path_for(dump: Path) -> Path:
    """The manifest that belongs beside ``dump``."""
    name = dump.name.removesuffix(PARTIAL_SUFFIX).removesuffix(DUMP_SUFFIX)
    return dump.with_name(name + MANIFEST_SUFFIX)


def dump_path_for(path: Path) -> Path:
    """``path`` itself, or the archive a manifest path belongs to."""
    if path.name.endswith(MANIFEST_SUFFIX):
        return path.with_name(path.name.removesuffix(MANIFEST_SUFFIX) + DUMP_SUFFIX)
    return path


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the archive ``path``; BackupCorrupt if it is missing or unreadable."""
    manifest_path = manifest_path_for(path)
    try:
        manifest = json.loads(manifest_path.read_text())
    except FileNotFoundError:
        raise BackupCorrupt(path, [f"no manifest {manifest_path.name} beside it"]) from None
    except (OSError, ValueError) as error:
        raise BackupCorrupt(
            path, [f"manifest {manifest_path.name} is unreadable: {error}"]
        ) from None
    problems = _manifest_problems(manifest)
    if problems:
        raise BackupCorrupt(path, problems)
    return manifest


def _manifest_problems(manifest: Any) -> list[str]:
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return [f"the manifest is not an {MANIFEST_FORMAT} manifest"]
    if manifest.get("manifest_version") != MANIFEST_VERSION:
        return [f"manifest version {manifest.get('manifest_version')!r} is not supported"]
    dump = manifest.get("dump")
    if not isinstance(dump, dict) or not isinstance(dump.get("sha256"), str):
        return ["the manifest has no sha256"]
    if not isinstance(dump.get("size"), int) or not isinstance(manifest.get("tables"), dict):
        return ["the manifest has no size or no table counts"]
    return []


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _tool_versions(pg_dump: PgTool, pg_restore: PgTool) -> dict[str, Any]:
    import django

    try:
        from importlib.metadata import version

        americano = version("americano-db")
    except Exception:  # not installed as a distribution: a plain checkout
        americano = None
    return {
        "pg_dump": {"version": pg_dump.version, "path": pg_dump.path},
        "pg_restore": {"version": pg_restore.version, "path": pg_restore.path},
        "python": platform.python_version(),
        "django": django.get_version(),
        "psycopg": psycopg.__version__,
        "americano": americano,
    }


# -- reading databases ------------------------------------------------------------------


def _qualified(schema: str, table: str) -> str:
    return f"{schema}.{table}"


def _user_tables(db: psycopg.Connection) -> list[tuple[str, str, int]]:
    """``(schema, table, bytes)`` of every table pg_dump dumps the rows of."""
    return db.execute(_TABLES_SQL).fetchall()


def _count_rows(db: psycopg.Connection, schema: str, table: str) -> int:
    query = sql.SQL("SELECT count(*) FROM ONLY {}.{}").format(
        sql.Identifier(schema), sql.Identifier(table)
    )
    return db.execute(query).fetchone()[0]


def _applied_migrations(db: psycopg.Connection) -> dict[str, list[str]]:
    """``{app: [migration, ...]}`` in the order applied; empty without django_migrations."""
    if db.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY id, app, name"):
        applied.setdefault(app, []).append(name)
    return applied


def table_row_counts(conn: ConnInfo) -> dict[str, int]:
    """Exact row counts of every user table, keyed ``schema.table``."""
    with conn.connect() as db:
        return {
            _qualified(schema, table): _count_rows(db, schema, table)
            for schema, table, _ in _user_tables(db)
        }


def table_checksums(conn: ConnInfo) -> dict[str, str]:
    """An md5 of each user table's content, independent of row order, keyed ``schema.table``."""
    result = {}
    with conn.connect() as db:
        for schema, table, _ in _user_tables(db):
            query = sql.SQL(
                "SELECT md5(coalesce(string_agg(h, '' ORDER BY h), '')) "
                "FROM (SELECT md5(t::text) AS h FROM ONLY {}.{} t) rows"
            ).format(sql.Identifier(schema), sql.Identifier(table))
            result[_qualified(schema, table)] = db.execute(query).fetchone()[0]
    return result


def applied_migrations(conn: ConnInfo) -> dict[str, list[str]]:
    """The migrations recorded in ``django_migrations`` of a database, by app."""
    with conn.connect() as db:
        return _applied_migrations(db)


def inspect_target(conn: ConnInfo) -> TargetContents:
    """What a restore with ``force`` would drop from the database ``conn``."""
    with conn.connect() as db:
        relations, kinds = [], {}
        for schema, name, kind in db.execute(
            f"""SELECT n.nspname, c.relname, c.relkind::text
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {_USER_SCHEMA}
                  AND {_NOT_EXTENSION_MEMBER.format(catalog="'pg_class'", oid="c.oid")}
                ORDER BY 1, 2"""
        ):
            relations.append(_qualified(schema, name))
            label = _RELATION_KINDS[kind]
            kinds[label] = kinds.get(label, 0) + 1
        schemas = [
            row[0]
            for row in db.execute(
                f"SELECT n.nspname FROM pg_namespace n WHERE {_USER_SCHEMA} ORDER BY 1"
            )
        ]
        types = db.execute(
            f"""SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE {_USER_SCHEMA} AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c'
                  AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
                  AND {_NOT_EXTENSION_MEMBER.format(catalog="'pg_type'", oid="t.oid")}"""
        ).fetchone()[0]
        functions = db.execute(
            f"""SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE {_USER_SCHEMA}
                  AND {_NOT_EXTENSION_MEMBER.format(catalog="'pg_proc'", oid="p.oid")}"""
        ).fetchone()[0]
        extensions = [
            row[0]
            for row in db.execute(
                f"""SELECT e.extname FROM pg_extension e
                    JOIN pg_namespace n ON n.oid = e.extnamespace WHERE {_USER_SCHEMA} ORDER BY 1"""
            )
        ]
    return TargetContents(relations, kinds, schemas, types, functions, extensions)


def migration_state(applied: Mapping[str, Sequence[str]]) -> MigrationState:
    """What ``migrate`` with this code would do to a database with these applied migrations."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    done = {(app, name) for app, names in applied.items() for name in names}
    replaced = set()
    for key, migration in loader.replacements.items():
        replaced.update(migration.replaces)
        if all(target in done for target in migration.replaces):
            done.add(key)
    graph = loader.graph
    pending: list[tuple[str, str]] = []
    for leaf in graph.leaf_nodes():
        for node in graph.forwards_plan(leaf):
            if node not in done and node not in pending:
                pending.append(node)
    unknown = sorted(key for key in done if key not in graph.nodes and key not in replaced)
    return MigrationState(
        applied=sum(len(names) for names in applied.values()),
        pending=[f"{app}.{name}" for app, name in pending],
        unknown=[f"{app}.{name}" for app, name in unknown],
    )


# -- scratch databases ------------------------------------------------------------------


@contextlib.contextmanager
def scratch_database(server: ConnInfo, purpose: str = "scratch") -> Iterator[ConnInfo]:
    """A new empty database on the server of ``server``, dropped on exit (also on failure).

    It is made from template0 with the encoding and locale of ``server``'s
    database, so that a restore into it meets the conditions of the original.
    """
    name = f"americano_{purpose}_{os.getpid()}_{secrets.token_hex(4)}"[:63]
    identifier = sql.Identifier(name)
    with server.connect() as db:
        encoding, collate, ctype = db.execute(
            "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database"
            " WHERE datname = current_database()"
        ).fetchone()
        try:
            db.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}"
                ).format(
                    identifier, sql.Literal(encoding), sql.Literal(collate), sql.Literal(ctype)
                )
            )
        except psycopg.errors.InsufficientPrivilege as error:
            raise BackupError(
                f"cannot create a scratch database on {server.display()}: {error}"
            ) from None
        except psycopg.Error:
            db.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(identifier))
    failed = False
    try:
        yield server.with_dbname(name)
    except BaseException:
        failed = True
        raise
    finally:
        try:
            with server.connect() as db:
                db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        except (psycopg.Error, PgToolError) as error:
            if not failed:
                raise BackupError(
                    f"could not drop the scratch database {name}: {error}; drop it by hand"
                ) from None


# -- backup ----------------------------------------------------------------------------


def _pg_dump_progress(
    sizes: Mapping[str, int], progress: ProgressCallback | None
) -> Callable[[str], None] | None:
    """An ``on_line`` for pg_dump --verbose that reports the share of table bytes dumped."""
    if progress is None:
        return None
    total = float(sum(sizes.values()) or 1)
    state = {"done": 0.0, "current": 0}
    pattern = re.compile(r'dumping contents of table "(?P<name>.+)"$')

    def on_line(line: str) -> None:
        match = pattern.search(line)
        if match:
            state["done"] += state["current"]
            state["current"] = sizes.get(match["name"], 0)
            progress(Progress("dump", state["done"], total, match["name"]))

    return on_line


def _new_partial_file(path: Path) -> None:
    """Create ``path`` readable by its owner only: a backup holds every row of the database."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)


def create_backup(
    conn: ConnInfo,
    directory: Path = DEFAULT_DIRECTORY,
    label: str | None = None,
    *,
    compress: str | None = None,
    progress: ProgressCallback | None = None,
    now: dt.datetime | None = None,
) -> BackupResult:
    """Dump the database ``conn`` into ``directory``, write its manifest and read both back.

    The archive and manifest get their final names only when the verification
    passes; otherwise they stay as ``*.partial`` files for inspection and the
    result is not ok.
    """
    started = time.monotonic()
    label = label or conn.dbname or "database"
    if not LABEL.match(label):
        raise BackupError(
            f"label {label!r} must be letters, digits, '.', '_' or '-' (at most 64, "
            "starting with a letter or digit)"
        )
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    directory = Path(directory)
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"cannot create {directory}: {error.strerror or error}") from None
    stem = f"{created.strftime(STAMP_FORMAT)}_{label}"
    final = directory / (stem + DUMP_SUFFIX)
    final_manifest = directory / (stem + MANIFEST_SUFFIX)
    partial = final.with_name(final.name + PARTIAL_SUFFIX)
    partial_manifest = final_manifest.with_name(final_manifest.name + PARTIAL_SUFFIX)
    if final.exists() or partial.exists():
        raise BackupError(f"{final} already exists: use another --label or wait a second")

    with conn.connect(autocommit=False) as db:
        server_version, server_num = db.execute(
            "SELECT current_setting('server_version'), current_setting('server_version_num')::int"
        ).fetchone()
        db.rollback()
        server_major = server_num // 10000
        pg_dump = find_tool("pg_dump", server_major, f"the server (PostgreSQL {server_version})")
        pg_restore = _matching_pg_restore(pg_dump)

        # One snapshot for pg_dump and for the counts: the manifest describes the archive.
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        db.read_only = True
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()[0]
        # The counts only have to be done before pg_dump is: no parallel workers taking
        # CPUs from it.
        db.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        tables = _user_tables(db)
        migrations = _applied_migrations(db)
        sizes = {_qualified(schema, table): size for schema, table, size in tables}

        _new_partial_file(partial)
        args = ["--format=custom", "--verbose", f"--snapshot={snapshot}", f"--file={partial}"]
        if compress:
            args.append(f"--compress={compress}")
        args.append(conn.dbname_arg())
        counts: dict[str, int] = {}
        try:
            with conn.child_env() as env:
                run = ToolRun(
                    pg_dump, args, env, on_line=_pg_dump_progress(sizes, progress), scrub=conn.scrub
                )
                try:
                    count_started = time.monotonic()
                    for schema, table, _ in tables:
                        counts[_qualified(schema, table)] = _count_rows(db, schema, table)
                    count_seconds = time.monotonic() - count_started
                except BaseException:
                    run.kill()
                    raise
                run.check("pg_dump")
        except BaseException as error:
            partial.unlink(missing_ok=True)
            if isinstance(error, psycopg.Error):
                raise BackupError(f"counting rows failed: {conn.scrub(str(error))}") from None
            if isinstance(error, PgToolError):
                raise BackupError(str(error)) from None
            raise
        finally:
            with contextlib.suppress(psycopg.Error):
                db.rollback()
    dump_seconds = time.monotonic() - started

    hash_started = time.monotonic()
    size = partial.stat().st_size
    digest = _sha256(partial)
    hash_seconds = time.monotonic() - hash_started
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "manifest_version": MANIFEST_VERSION,
        "file": final.name,
        "label": label,
        "created_at": _iso(created),
        "database": conn.public(),
        "server": {"version": server_version, "version_num": server_num},
        "migrations": migrations,
        "dump": {
            "sha256": digest,
            "size": size,
            "format": "custom",
            "compression": compress or "default",
            "snapshot": True,
        },
        "tables": counts,
        "rows": sum(counts.values()),
        "tools": _tool_versions(pg_dump, pg_restore),
        "timings": {
            "dump_seconds": round(dump_seconds, 3),
            "count_seconds": round(count_seconds, 3),
            "hash_seconds": round(hash_seconds, 3),
        },
    }
    descriptor = os.open(partial_manifest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(manifest, handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())

    verify_started = time.monotonic()
    verification = _verify(partial, partial_manifest, pg_restore)
    verify_seconds = time.monotonic() - verify_started
    path, manifest_path = partial, partial_manifest
    if verification.ok:
        os.replace(partial_manifest, final_manifest)
        os.replace(partial, final)
        _fsync(directory)
        path, manifest_path = final, final_manifest
    seconds = {
        "dump": dump_seconds,
        "count": count_seconds,
        "hash": hash_seconds,
        "verify": verify_seconds,
        "total": time.monotonic() - started,
    }
    return BackupResult(path, manifest_path, manifest, verification, pg_dump, pg_restore, seconds)


def _matching_pg_restore(pg_dump: PgTool) -> PgTool:
    """A pg_restore that can read what ``pg_dump`` writes: its sibling if it has one."""
    sibling = sibling_tool(pg_dump, "pg_restore")
    if sibling is not None and sibling.major >= pg_dump.major:
        return sibling
    return find_tool(
        "pg_restore", pg_dump.major, f"the archive (made by pg_dump {pg_dump.version})"
    )


def _pg_restore_for(manifest: Mapping[str, Any] | None) -> PgTool:
    """A pg_restore that can read an archive made by the pg_dump named in ``manifest``."""
    made_by = (manifest or {}).get("tools", {}).get("pg_dump", {}).get("version")
    if not made_by:
        return find_tool("pg_restore", None)
    major = int(str(made_by).split(".")[0])
    return find_tool("pg_restore", major, f"the archive (made by pg_dump {made_by})")


# -- verification ------------------------------------------------------------------------


def _archive_header_problem(path: Path) -> str | None:
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
        tables.add(_qualified(schema, name))
    return tables


def _verify(path: Path, manifest_path: Path, pg_restore: PgTool | None) -> Verification:
    result = Verification()
    if not path.is_file():
        result.problems.append(f"{path} does not exist")
        return result
    header_problem = _archive_header_problem(path)
    if header_problem:
        result.problems.append(header_problem)
        return result
    result.checks.append("header: pg_dump custom-format archive")
    manifest = None
    try:
        manifest = json.loads(manifest_path.read_text())
    except FileNotFoundError:
        result.problems.append(f"no manifest {manifest_path.name} beside it")
    except (OSError, ValueError) as error:
        result.problems.append(f"manifest {manifest_path.name} is unreadable: {error}")
    if manifest is not None:
        manifest_problems = _manifest_problems(manifest)
        result.problems.extend(manifest_problems)
        if manifest_problems:
            manifest = None
    if manifest is not None:
        size, expected = path.stat().st_size, manifest["dump"]["size"]
        if size != expected:
            result.problems.append(
                f"size is {size} bytes, the manifest says {expected}"
                + (" (truncated)" if size < expected else "")
            )
        elif _sha256(path) != manifest["dump"]["sha256"]:
            result.problems.append(
                "sha256 differs from the manifest: the file is corrupt or changed"
            )
        else:
            result.checks.append(f"size and sha256 match the manifest ({size} bytes)")
    try:
        tool = pg_restore or _pg_restore_for(manifest)
        listing = _run_pg_restore_list(tool, path)
    except PgToolError as error:
        result.problems.append(f"pg_restore --list cannot read it: {error}")
        return result
    listed = _toc_tables(listing)
    if manifest is not None:
        missing = sorted(set(manifest["tables"]) - listed)
        if missing:
            result.problems.append(
                f"{len(missing)} tables of the manifest have no data in the archive: "
                + ", ".join(missing[:5])
            )
            return result
    result.checks.append(f"pg_restore --list reads the archive ({len(listed)} tables with data)")
    return result


def _run_pg_restore_list(tool: PgTool, path: Path) -> str:
    from americano.ops.pgtools import run_tool

    return run_tool(tool, ["--list", str(path)], what="pg_restore --list")


def verify_backup(path: Path, *, pg_restore: PgTool | None = None) -> Verification:
    """Check an archive against its manifest: header, size, sha256, ``pg_restore --list``."""
    path = dump_path_for(Path(path))
    return _verify(path, manifest_path_for(path), pg_restore)


def restore_test(path: Path, server: ConnInfo) -> RestoreTest:
    """Restore ``path`` into a scratch database on ``server``'s server and compare it.

    Owners and privileges are left out (``--no-owner --no-privileges``): the
    test is about the data, and the roles of the original server may not exist.
    The scratch database is always dropped.
    """
    path = dump_path_for(Path(path))
    manifest = read_manifest(path)
    pg_restore = _pg_restore_for(manifest)
    started = time.monotonic()
    with scratch_database(server, "restoretest") as scratch:
        _restore_direct(pg_restore, path, scratch, jobs=1, flags=["--no-owner", "--no-privileges"])
        verification, rows = _compare_with_manifest(scratch, manifest)
    return RestoreTest(
        database=scratch.dbname,
        verification=verification,
        tables=len(manifest["tables"]),
        rows=rows,
        seconds=time.monotonic() - started,
    )


def _compare_with_manifest(conn: ConnInfo, manifest: Mapping[str, Any]) -> tuple[Verification, int]:
    """Row counts and applied migrations of a restored database against the manifest."""
    result = Verification()
    counts = table_row_counts(conn)
    expected = manifest["tables"]
    missing = sorted(set(expected) - set(counts))
    different = [
        f"{table} has {counts[table]} rows, the manifest says {rows}"
        for table, rows in sorted(expected.items())
        if table in counts and counts[table] != rows
    ]
    if missing:
        result.problems.append(f"{len(missing)} tables are missing: {', '.join(missing[:5])}")
    result.problems.extend(different[:10])
    if len(different) > 10:
        result.problems.append(f"and {len(different) - 10} more tables differ")
    if not missing and not different:
        result.checks.append(
            f"row counts of all {len(expected)} tables match the manifest "
            f"({sum(expected.values())} rows)"
        )
    migrations = applied_migrations(conn)
    wanted = {app: list(names) for app, names in manifest.get("migrations", {}).items()}
    if {app: sorted(names) for app, names in migrations.items()} != {
        app: sorted(names) for app, names in wanted.items()
    }:
        result.problems.append("the applied migrations differ from the manifest")
    else:
        result.checks.append(
            f"applied migrations match the manifest ({sum(map(len, wanted.values()))})"
        )
    return result, sum(counts.get(table, 0) for table in expected)


# -- listing and retention ---------------------------------------------------------------


def list_backups(directory: Path = DEFAULT_DIRECTORY) -> list[BackupInfo]:
    """The backups in ``directory``, newest first (files not named like a backup are ignored)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    backups = []
    for path in directory.iterdir():
        match = BACKUP_NAME.match(path.name)
        if not match or not path.is_file():
            continue
        created = dt.datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=dt.UTC)
        manifest_path = manifest_path_for(path)
        manifest, problem = None, None
        try:
            manifest = json.loads(manifest_path.read_text())
            problems = _manifest_problems(manifest)
            if problems:
                manifest, problem = None, problems[0]
        except FileNotFoundError:
            problem = "no manifest"
        except (OSError, ValueError):
            problem = "unreadable manifest"
        backups.append(
            BackupInfo(
                path, manifest_path, created, match["label"], path.stat().st_size, manifest, problem
            )
        )
    backups.sort(key=lambda backup: (backup.created_at, backup.path.name), reverse=True)
    return backups


def plan_retention(
    backups: Sequence[BackupInfo],
    keep_days: int = DEFAULT_KEEP_DAYS,
    keep_last: int = DEFAULT_KEEP_LAST,
    now: dt.datetime | None = None,
) -> RetentionPlan:
    """Keep the newest ``keep_last`` backups and every backup younger than ``keep_days`` days."""
    if keep_days < 0 or keep_last < 1:
        raise BackupError("retention needs --keep-days >= 0 and --keep-last >= 1")
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=keep_days)
    ordered = sorted(backups, key=lambda b: (b.created_at, b.path.name), reverse=True)
    keep, delete = [], []
    for index, backup in enumerate(ordered):
        (keep if index < keep_last or backup.created_at >= cutoff else delete).append(backup)
    return RetentionPlan(keep_days, keep_last, keep, delete)


def prune_backups(
    directory: Path = DEFAULT_DIRECTORY,
    keep_days: int = DEFAULT_KEEP_DAYS,
    keep_last: int = DEFAULT_KEEP_LAST,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> RetentionPlan:
    """Apply the retention policy to ``directory``: delete each archive and its manifest."""
    plan = plan_retention(list_backups(directory), keep_days, keep_last, now)
    if not dry_run:
        for backup in plan.delete:
            try:
                backup.path.unlink(missing_ok=True)
                backup.manifest_path.unlink(missing_ok=True)
            except OSError as error:
                raise BackupError(
                    f"cannot delete {backup.path}: {error.strerror or error}"
                ) from None
    return plan


# -- restore -----------------------------------------------------------------------------


def _pg_restore_progress(total: int, progress: ProgressCallback | None):
    if progress is None:
        return None
    state = {"done": 0}
    pattern = re.compile(r"pg_restore: (?:creating (?P<kind>[A-Z ]+) |processing data for table )")

    def on_line(line: str) -> None:
        if pattern.search(line):
            state["done"] += 1
            item = line.split(": ", 1)[-1]
            progress(Progress("restore", min(state["done"], total), total, item))

    return on_line


def _restore_direct(
    pg_restore: PgTool,
    path: Path,
    target: ConnInfo,
    *,
    jobs: int,
    flags: Sequence[str] = (),
    on_line: Callable[[str], None] | None = None,
) -> None:
    """pg_restore straight into ``target``: one transaction unless ``jobs`` > 1."""
    args = ["--exit-on-error", "--verbose", target.dbname_arg(), *flags]
    args += ["--single-transaction"] if jobs <= 1 else [f"--jobs={jobs}"]
    args.append(str(path))
    with target.child_env() as env:
        run = ToolRun(pg_restore, args, env, on_line=on_line, scrub=target.scrub)
        try:
            run.check("pg_restore")
        except PgToolError as error:
            raise BackupError(str(error)) from None


def _drop_everything_sql(db: psycopg.Connection, contents: TargetContents) -> str:
    """SQL that empties the user schemas of the database ``db`` is connected to.

    Every user schema is dropped with all it holds; ``public`` is recreated
    with its owner, comment and privileges, because pg_dump assumes it exists.
    """
    statements = [
        # pg_restore's own BEGIN then only warns that a transaction is in progress.
        "SET client_min_messages = error;",
        "BEGIN;",
        f"SET lock_timeout = '{DROP_LOCK_TIMEOUT}';",
    ]
    for schema in contents.schemas:
        statements.append(
            sql.SQL("DROP SCHEMA {} CASCADE;").format(sql.Identifier(schema)).as_string(db)
        )
    row = db.execute(
        "SELECT pg_get_userbyid(nspowner), obj_description(oid, 'pg_namespace'), oid"
        " FROM pg_namespace WHERE nspname = 'public'"
    ).fetchone()
    if row is not None:
        owner, comment, oid = row
        statements.append("CREATE SCHEMA public;")
        statements.append(
            sql.SQL("ALTER SCHEMA public OWNER TO {};").format(sql.Identifier(owner)).as_string(db)
        )
        if comment is not None:
            statements.append(
                sql.SQL("COMMENT ON SCHEMA public IS {};")
                .format(sql.Literal(comment))
                .as_string(db)
            )
        grants = db.execute(
            "SELECT a.privilege_type, a.is_grantable,"
            " CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END"
            " FROM pg_namespace n, aclexplode(n.nspacl) a"
            " WHERE n.oid = %s AND a.grantee <> n.nspowner",
            (oid,),
        ).fetchall()
        for privilege, grantable, grantee in grants:
            statements.append(
                sql.SQL("GRANT {} ON SCHEMA public TO {}{};")
                .format(
                    sql.SQL(privilege),
                    sql.Identifier(grantee) if grantee else sql.SQL("PUBLIC"),
                    sql.SQL(" WITH GRANT OPTION" if grantable else ""),
                )
                .as_string(db)
            )
    statements.append("RESET lock_timeout;")
    return "\n".join(statements) + "\n"


def _restore_replacing(
    pg_restore: PgTool,
    path: Path,
    target: ConnInfo,
    contents: TargetContents,
    *,
    flags: Sequence[str] = (),
    on_line: Callable[[str], None] | None = None,
) -> None:
    """Drop everything in ``target`` and restore ``path``, all in one transaction.

    psql runs the drops after a BEGIN, then the script of ``pg_restore
    --single-transaction``, whose COMMIT is its last line, written only when
    pg_restore has read the whole archive. An error stops psql
    (ON_ERROR_STOP), and a script that ends early (pg_restore failed, or this
    process was killed) ends psql without a COMMIT: either way the server
    rolls back the drops with the rest. (``psql --single-transaction`` would
    commit at the end of whatever it was given; ``pg_restore --clean`` would
    only drop what the archive holds, leaving e.g. the tables of later
    migrations behind.)
    """
    psql = sibling_tool(pg_restore, "psql")
    if psql is None or psql.major < pg_restore.major:
        psql = find_tool("psql", pg_restore.major, f"the script of pg_restore {pg_restore.version}")
    with target.connect() as db:
        prelude = _drop_everything_sql(db, contents)
    with tempfile.TemporaryDirectory(prefix="americano-restore-") as folder:
        prelude_path = Path(folder) / "drop.sql"
        prelude_path.write_text(prelude)
        with target.child_env() as env:
            producer = ToolRun(
                pg_restore,
                [
                    "--verbose",
                    "--exit-on-error",
                    "--single-transaction",
                    "--file=-",
                    *flags,
                    str(path),
                ],
                env,
                stdout=subprocess.PIPE,
                on_line=on_line,
                scrub=target.scrub,
            )
            assert producer.stdout is not None
            consumer = ToolRun(
                psql,
                [
                    "--no-psqlrc",
                    "--quiet",
                    "--set=ON_ERROR_STOP=1",
                    f"--file={prelude_path}",
                    "--file=-",
                    target.dbname_arg(),
                ],
                env,
                stdin=producer.stdout,
                scrub=target.scrub,
            )
            producer.stdout.close()
            consumer_status = consumer.wait()
            producer_status = producer.wait()
    if consumer_status != 0:
        raise BackupError(f"restore failed, nothing was changed: psql: {consumer.errors()}")
    if producer_status != 0:
        raise BackupError(f"restore failed, nothing was changed: pg_restore: {producer.errors()}")


def restore_backup(
    path: Path,
    target: ConnInfo,
    *,
    force: bool = False,
    jobs: int = 1,
    no_owner: bool = False,
    no_privileges: bool = False,
    progress: ProgressCallback | None = None,
    before_drop: Callable[[TargetContents], None] | None = None,
) -> RestoreResult:
    """Restore the archive ``path`` into ``target`` after verifying it.

    Refuses (BackupCorrupt) an archive that fails verification, and
    (TargetNotEmpty) a target with tables unless ``force``, which drops
    everything in its user schemas in the same transaction as the restore;
    ``before_drop`` is told what, once the archive has passed.
    """
    started = time.monotonic()
    path = dump_path_for(Path(path))
    manifest = read_manifest(path)
    pg_restore = _pg_restore_for(manifest)
    verification = _verify(path, manifest_path_for(path), pg_restore)
    if not verification.ok:
        raise BackupCorrupt(path, verification.problems)
    verify_seconds = time.monotonic() - started
    if jobs < 1:
        raise BackupError("--jobs must be 1 or more")

    contents = inspect_target(target)
    if not contents.empty and not force:
        raise TargetNotEmpty(target.display(), contents)
    if not contents.empty and jobs > 1:
        raise BackupError(
            "--jobs cannot be combined with replacing a database: the drop and the restore "
            "must be one transaction"
        )
    flags = [
        flag for flag, on in (("--no-owner", no_owner), ("--no-privileges", no_privileges)) if on
    ]
    total = len(manifest["tables"]) * 3 + 1
    on_line = _pg_restore_progress(total, progress)
    restore_started = time.monotonic()
    if contents.empty:
        _restore_direct(pg_restore, path, target, jobs=jobs, flags=flags, on_line=on_line)
    else:
        if before_drop is not None:
            before_drop(contents)
        _restore_replacing(pg_restore, path, target, contents, flags=flags, on_line=on_line)
    restore_seconds = time.monotonic() - restore_started

    check_started = time.monotonic()
    comparison, rows = _compare_with_manifest(target, manifest)
    verification.checks.extend(comparison.checks)
    verification.problems.extend(comparison.problems)
    state = migration_state(applied_migrations(target))
    seconds = {
        "verify": verify_seconds,
        "restore": restore_seconds,
        "check": time.monotonic() - check_started,
        "total": time.monotonic() - started,
    }
    return RestoreResult(
        path=path,
        target=target.display(),
        atomic=jobs <= 1,
        dropped=None if contents.empty else contents,
        verification=verification,
        migrations=state,
        tables=len(manifest["tables"]),
        rows=rows,
        pg_restore=pg_restore,
        seconds=seconds,
    )
