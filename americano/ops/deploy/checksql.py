"""``--check-sql FILE``: the statements the applications send, which the schema must accept.

The file holds SQL statements as the clients send them, ``$1``-style parameters
and all. A statement ends with a ``;`` at the end of a line; lines that start
with ``--`` and blank lines between statements are skipped. Each statement must
*prepare* (parse and plan against the schema, nothing executed: a column that
does not exist fails here) on the database, which is done at the protocol level
(libpq's ``PQprepare``, then ``DEALLOCATE``): one statement per prepare, so a
statement cannot smuggle in a second one.

Before a deployment applies anything, the statements are prepared on a shadow
database built from the whole history, pending migrations included: a migration
that would break a client query is refused before it touches the database.
After it, they are prepared on the migrated database itself.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import pq

from americano.db.history import MigrationKey
from americano.ops.deploy.config import DeployInputError

#: The most statements a file may hold.
MAX_STATEMENTS = 10_000
_NAME = b"americano_check_sql"


@dataclass(frozen=True)
class ClientStatement:
    """One statement of the file, and the line it starts on."""

    line: int
    text: str

    def head(self) -> str:
        """Its first line, to name it in a report."""
        return self.text.strip().splitlines()[0][:200]


def read_check_sql(path: Path) -> list[ClientStatement]:
    """The statements of ``path`` (see the module for the format)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise DeployInputError(f"--check-sql {path}: cannot read it: {reason}") from None
    statements: list[ClientStatement] = []
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not lines and (not line.strip() or line.lstrip().startswith("--")):
            continue
        if not lines:
            start = number
        lines.append(line)
        if line.rstrip().endswith(";"):
            body = "\n".join(lines).rstrip().removesuffix(";").strip()
            if body:
                statements.append(ClientStatement(start, body))
            lines = []
    if lines and "\n".join(lines).strip():
        statements.append(ClientStatement(start, "\n".join(lines).strip()))
    if not statements:
        raise DeployInputError(f"--check-sql {path} holds no statement")
    if len(statements) > MAX_STATEMENTS:
        raise DeployInputError(f"--check-sql {path} holds more than {MAX_STATEMENTS} statements")
    return statements


def _message(result: pq.PGresult) -> str:
    primary = result.error_field(pq.DiagnosticField.MESSAGE_PRIMARY)
    return (primary or result.error_message or b"failed").decode(errors="replace").strip()


def unpreparable(connection: BaseDatabaseWrapper, statements: list[ClientStatement]) -> list[dict]:
    """The statements that do not prepare on ``connection``'s database, with why."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    failures = []
    for statement in statements:
        result = pgconn.prepare(_NAME, statement.text.encode())
        if result.status == pq.ExecStatus.COMMAND_OK:
            pgconn.exec_(b"DEALLOCATE " + _NAME)
        else:
            failures.append(
                {"line": statement.line, "statement": statement.head(), "error": _message(result)}
            )
    return failures


def on_shadow(
    live: BaseDatabaseWrapper,
    leaves: set[MigrationKey],
    statements: list[ClientStatement],
    shadow_url: str | None,
) -> dict:
    """Prepare ``statements`` on a shadow database built from the whole history up to
    ``leaves`` (the pending migrations included), on the server ``americano.ops.shadow``
    chooses for ``live``."""
    from americano.ops.drift import build_history  # slow to import: only with --check-sql
    from americano.ops.shadow import shadow_database

    with shadow_database(live, shadow_url, purpose="deploy_check") as shadow:
        build_history(shadow.connection, leaves)
        failures = unpreparable(shadow.connection, statements)
    return {"server": shadow.server, "failures": failures}
