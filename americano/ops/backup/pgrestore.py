"""Running pg_restore into a database so that a failure or an interruption leaves it as it was.

A restore is one transaction (:func:`restore_in_one_transaction`): psql runs a
prelude that begins it (and, over a database that has tables, drops them in
it), then the script of ``pg_restore --single-transaction``, whose COMMIT is its
last line. Interrupted, both programs are stopped and the server is asked
whether the transaction committed, so that the caller can say exactly what the
target holds. Only ``--jobs`` N > 1 runs pg_restore straight into an empty
database, in parallel, which cannot be one transaction (:func:`restore_direct`).
The target is given as libpq parameters (``ConnInfo``), because the work is
done by client programs.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg
from psycopg import sql

from americano.core import progress
from americano.ops.backup.contents import TargetContents
from americano.ops.backup.errors import BackupInterrupted, RestoreFailed
from americano.ops.pgtools import (
    ConnInfo,
    PgTool,
    PgToolError,
    PgToolFailed,
    ToolRun,
    find_tool,
    private_folder,
    sibling_tool,
)

#: How long a forced restore waits for the locks it needs to drop the old tables.
DROP_LOCK_TIMEOUT = "60s"
#: How long the server gets to end the session of an interrupted restore (milliseconds).
END_SESSION_MS = 5000
#: The progress task of a restore.
TASK = "pg_restore"
_STEP = re.compile(r"pg_restore: (?:creating (?P<kind>[A-Z ]+) |processing data for table )")
#: psql's first lines: the transaction, and where it is (to ask the server about it later).
_BEGIN = """\
SET client_min_messages = error;
BEGIN;
SELECT pg_current_xact_id() AS americano_xid, pg_backend_pid() AS americano_pid \\gset
\\o {xid_file}
\\qecho :americano_xid :americano_pid
\\o
"""


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
    """pg_restore straight into the empty ``target`` with ``jobs`` parallel jobs."""
    args = ["--exit-on-error", "--verbose", target.dbname_arg(), f"--jobs={jobs}", *flags]
    args.append(str(path))
    with (
        target.child_env() as env,
        ToolRun(pg_restore, args, env, on_line=on_line, scrub=target.scrub) as run,
    ):
        try:
            run.check("pg_restore")
        except PgToolFailed as error:
            raise RestoreFailed(str(error)) from None


def _drop_everything_sql(db: psycopg.Connection, contents: TargetContents) -> str:
    """SQL that empties the user schemas of the database ``db`` is connected to.

    Every user schema is dropped with all it holds; ``public`` is recreated
    with its owner, comment and privileges, because pg_dump assumes it exists.
    """
    statements = [f"SET lock_timeout = '{DROP_LOCK_TIMEOUT}';"]
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


def _psql_quoted(text: str) -> str:
    """``text`` as one single-quoted argument of a psql meta-command."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _committed(target: ConnInfo, xid_file: Path) -> bool | None:
    """Whether the interrupted restore's transaction committed, as the server says, after it
    has ended the restore's session if that still ran; None if the server cannot tell."""
    try:
        xid, pid = xid_file.read_text().split()
    except (OSError, ValueError):
        return False  # psql had not begun the transaction
    status = "SELECT pg_xact_status(%s::xid8)"
    try:
        with target.connect() as db:
            if db.execute(status, (xid,)).fetchone()[0] == "in progress":
                db.execute("SELECT pg_terminate_backend(%s, %s)", (int(pid), END_SESSION_MS))
            answer = db.execute(status, (xid,)).fetchone()[0]
    except (psycopg.Error, PgToolError):
        return None
    return {"committed": True, "aborted": False}.get(answer)


def restore_in_one_transaction(
    pg_restore: PgTool,
    path: Path,
    target: ConnInfo,
    contents: TargetContents | None,
    *,
    flags: Sequence[str] = (),
    on_line: Callable[[str], None] | None = None,
) -> KeyboardInterrupt | None:
    """Restore ``path`` into ``target`` in one transaction, after dropping everything in it
    (``contents``; None for an empty target) in the same transaction.

    psql runs the prelude after a BEGIN, then the script of ``pg_restore
    --single-transaction``, whose COMMIT is its last line, written only when
    pg_restore has read the whole archive. An error stops psql
    (ON_ERROR_STOP), and a script that ends early (pg_restore failed, or this
    process was killed) ends psql without a COMMIT: either way the server
    rolls back the drops with the rest. (``psql --single-transaction`` would
    commit at the end of whatever it was given; ``pg_restore --clean`` would
    only drop what the archive holds, leaving e.g. the tables of later
    migrations behind.)

    An interruption stops both programs. If the transaction had not committed,
    it is re-raised (BackupInterrupted when the server cannot tell); if it had,
    it is returned, for the caller to raise once it has recorded that.
    """
    psql = sibling_tool(pg_restore, "psql")
    if psql is None or psql.major < pg_restore.major:
        psql = find_tool("psql", pg_restore.major, f"the script of pg_restore {pg_restore.version}")
    with private_folder() as folder, target.child_env() as env:
        xid_file, begin = folder / "xid", folder / "begin.sql"
        prelude = _BEGIN.format(xid_file=_psql_quoted(str(xid_file)))
        if contents is not None:
            with target.connect() as db:
                prelude += _drop_everything_sql(db, contents)
        begin.write_text(prelude)
        script = ["--verbose", "--exit-on-error", "--single-transaction", "--file=-", *flags]
        run = ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", f"--file={begin}", "--file=-"]
        try:
            consumer, producer = _pipe(
                (pg_restore, [*script, str(path)]),
                (psql, [*run, target.dbname_arg()]),
                env,
                on_line=on_line,
                scrub=target.scrub,
            )
        except KeyboardInterrupt as interrupt:
            committed = _committed(target, xid_file)
            if committed is None:
                raise BackupInterrupted(
                    f"interrupted ({interrupt or 'SIGINT'}): the server cannot tell whether the "
                    "restore committed: the target is as it was or fully restored, never between"
                ) from None
            if committed:
                return interrupt
            raise
    if consumer is not None:
        raise RestoreFailed(f"restore failed, nothing was changed: psql: {consumer}")
    if producer is not None:
        raise RestoreFailed(f"restore failed, nothing was changed: pg_restore: {producer}")
    return None


def _pipe(
    producer: tuple[PgTool, list[str]],
    consumer: tuple[PgTool, list[str]],
    env: dict[str, str],
    *,
    on_line: Callable[[str], None] | None,
    scrub: Callable[[str], str],
) -> tuple[str | None, str | None]:
    """Run ``producer``'s stdout into ``consumer``: why the consumer failed and why the
    producer did (None: it did not). Both are stopped if this is interrupted."""
    with ToolRun(*producer, env, stdout=subprocess.PIPE, on_line=on_line, scrub=scrub) as writer:
        assert writer.stdout is not None
        with ToolRun(*consumer, env, stdin=writer.stdout, scrub=scrub) as reader:
            writer.stdout.close()
            reader_failed = reader.wait() != 0
            writer_failed = writer.wait() != 0
    return (
        reader.errors() if reader_failed else None,
        writer.errors() if writer_failed else None,
    )
