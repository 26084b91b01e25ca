"""Statements of an atomic migration held back and sent to the server as one script.

A migration that creates the schema runs hundreds of short DDL statements; sent
one by one, each pays its own trip through Django's cursor, psycopg and the
server's protocol. A batching schema editor (``connection.schema_editor(batch=True)``,
used by ``americano.db.executor``) holds its statements back (logged as Django's
editors log them) and sends them together, as one simple-query message, when the
migration ends.

Order is kept: the batch is an execute wrapper on the connection while the editor
is open, and any other query on it (introspection, ``CreateExtension``'s look-up,
recording the migration) first sends what is held. Only an atomic migration is
batched, so the statements commit or roll back together exactly as before.

An error still names its statement: the script starts with a savepoint, and when
a statement of it fails the batch goes back to the savepoint and runs the
statements one at a time, so that the failing statement raises its own error
(with the statement added as a note). Errors of the moment rather than of a
statement (a lock or statement timeout, a deadlock, a lost connection) are
raised as they are: running the script again would only wait again, and whoever
retries (``migrate_deploy``) decides that.
"""

from collections.abc import Callable

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

#: The savepoint a script starts with, to go back to when it fails.
SAVEPOINT = "americano_batch"
#: SQLSTATEs (and classes) of errors of the moment: connection, transaction rollback
#: (deadlock, serialization), operator intervention (timeouts, cancels), lock not available.
_OF_THE_MOMENT = ("08", "40", "57", "55P03")


class StatementBatch:
    """Statements held for one script, and an execute wrapper sending them before any query."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.held: list[str] = []

    def hold(self, statement: str) -> None:
        self.held.append(statement)

    def __call__(self, execute: Callable, sql, params, many: bool, context: dict):
        self.send()  # anything else runs after what was issued before it
        return execute(sql, params, many, context)

    def send(self) -> None:
        """Send the held statements as one script; on an error, find the statement."""
        statements, self.held = self.held, []
        if not statements:
            return
        with self.connection.cursor() as cursor:  # passes through __call__: nothing held now
            if len(statements) == 1:
                _run(cursor, statements[0])
            else:
                _run_script(cursor, statements)

    def discard(self) -> None:
        """Forget the held statements: the migration failed and rolls back."""
        self.held = []


def _run_script(cursor, statements: list[str]) -> None:
    try:
        # A newline before each ";" keeps a trailing "-- comment" from swallowing it.
        cursor.execute("\n;\n".join([f"SAVEPOINT {SAVEPOINT}", *statements]))
    except DatabaseError as error:
        sqlstate = getattr(error.__cause__, "sqlstate", None) or ""
        if sqlstate.startswith(_OF_THE_MOMENT):
            error.add_note(f"in a script of {len(statements)} statements")
            raise
        cursor.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
        for statement in statements:
            _run(cursor, statement)


def _run(cursor, statement: str) -> None:
    try:
        cursor.execute(statement)
    except DatabaseError as error:
        error.add_note(f"statement: {statement}")
        raise
