"""Running pg_restore into a database so that a failure leaves it as it was.

Into an empty database, ``pg_restore --single-transaction`` is enough. Over a
database that has tables, the drops must be in the same transaction as the
restore: see :func:`restore_replacing`. The target is given as libpq
parameters (``ConnInfo``), because the work is done by client programs.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg
from psycopg import sql

from americano.core import progress
from americano.ops.backup.contents import TargetContents
from americano.ops.backup.errors import BackupFailed
from americano.ops.pgtools import ConnInfo, PgTool, PgToolError, ToolRun, find_tool, sibling_tool

#: How long a forced restore waits for the locks it needs to drop the old tables.
DROP_LOCK_TIMEOUT = "60s"
#: The progress task of a restore.
TASK = "pg_restore"
_STEP = re.compile(r"pg_restore: (?:creating (?P<kind>[A-Z ]+) |processing data for table )")


def progress_reporter(total: int) -> Callable[[str], None]:
    """An ``on_line`` for ``pg_restore --verbose`` that reports each object it creates or fills."""
    done = 0

    def on_line(line: str) -> None:
        nonlocal done
        if _STEP.search(line):
            done += 1
            progress.report(TASK, min(done, total), total, line.split(": ", 1)[-1])

    return on_line


def restore_direct(
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
            raise BackupFailed(str(error)) from None


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


def restore_replacing(
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
        raise BackupFailed(f"restore failed, nothing was changed: psql: {consumer.errors()}")
    if producer_status != 0:
        raise BackupFailed(f"restore failed, nothing was changed: pg_restore: {producer.errors()}")
