"""The Django-level rules of ``migrate_lint``: what each catches, its lock, the safe way.

A rule looks at one migration with what the linter learnt about it (the tables
that exist before it runs, each operation's states and generated SQL) and yields
hits. Rules that read SQL see the statements Django generates for each
operation, RunSQL included; ``squawk`` reads the same statements, and its
findings on an operation a rule already reports are folded into that finding
(``Rule.squawk``).
"""

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations import Migration
from django.db.migrations import operations as ops
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from django.db.models import NOT_PROVIDED, Model

from americano.db.fields import EnumField
from americano.db.operations import AddEnumValue


@dataclass
class OperationSQL:
    """One operation of a migration, between its states, with the SQL it generates."""

    index: int
    operation: Operation
    before: ProjectState
    after: ProjectState
    statements: list[str] = field(default_factory=list)
    #: Why SQL could not be generated for it, if it could not.
    error: str | None = None


@dataclass
class LintedMigration:
    app_label: str
    migration: Migration
    #: Tables that exist before the migration runs.
    existing_tables: frozenset[str]
    operations: list[OperationSQL]
    connection: BaseDatabaseWrapper

    @property
    def key(self) -> str:
        return f"{self.app_label}.{self.migration.name}"

    def database_operations(
        self,
    ) -> Iterator[tuple[OperationSQL, Operation, ProjectState, ProjectState]]:
        """Each operation that acts on the database, with its states.

        The database side of a ``SeparateDatabaseAndState`` is walked, its state
        side (which changes nothing in the database) is not.
        """
        for item in self.operations:
            if isinstance(item.operation, ops.SeparateDatabaseAndState):
                state = item.before
                for inner in item.operation.database_operations:
                    after = state.clone()
                    inner.state_forwards(self.app_label, after)
                    yield item, inner, state, after
                    state = after
            else:
                yield item, item.operation, item.before, item.after

    def model(self, state: ProjectState, name: str) -> type[Model]:
        """Model ``name`` of the migration's app as it is in ``state``."""
        return state.apps.get_model(self.app_label, name)


@dataclass(frozen=True)
class Hit:
    """Where a rule fires: the operation (None for the migration), table, SQL, details."""

    operation: int | None
    table: str | None = None
    sql: str | None = None
    detail: str | None = None
    lock: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    #: What is wrong, in one sentence.
    problem: str
    #: The lock taken (or what else is at stake).
    lock: str
    #: The safe way to make the same change.
    safe: str
    check: Callable[[LintedMigration], Iterator[Hit]]
    #: squawk rules that report the same problem on the same statement.
    squawk: frozenset[str] = frozenset()


# --- reading statements -----------------------------------------------------------

_NAME = r'(?:"(?:[^"]|"")+"|[\w$]+)'
_QUALIFIED = rf"(?P<table>{_NAME}(?:\.{_NAME})?)"
_TABLE_PATTERNS = [
    re.compile(rf"^\s*{opening}\s+{_QUALIFIED}", re.I | re.S)
    for opening in (
        r"ALTER\s+TABLE(?:\s+IF\s+EXISTS)?(?:\s+ONLY)?",
        r"DROP\s+TABLE(?:\s+IF\s+EXISTS)?",
        r"CREATE\s+(?:UNIQUE\s+)?INDEX\b.*?\bON(?:\s+ONLY)?",
        r"(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM|TRUNCATE)(?:\s+ONLY)?",
        r"CREATE\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?",
    )
]
#: The lock a statement takes, by its opening words; the first match wins.
_LOCKS = [
    (r"CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY", "SHARE UPDATE EXCLUSIVE"),
    (r"CREATE\s+(UNIQUE\s+)?INDEX", "SHARE (writes blocked for the whole build)"),
    (r"DROP\s+INDEX\s+CONCURRENTLY", "SHARE UPDATE EXCLUSIVE"),
    (r"ALTER\s+TABLE\b.*\bVALIDATE\s+CONSTRAINT", "SHARE UPDATE EXCLUSIVE"),
    (r"ALTER\s+TABLE\b.*\bFOREIGN\s+KEY", "SHARE ROW EXCLUSIVE on both tables"),
    (r"(ALTER|DROP)\s+TABLE|DROP\s+INDEX|TRUNCATE", "ACCESS EXCLUSIVE (reads and writes blocked)"),
    (r"UPDATE|DELETE|INSERT|MERGE", "ROW EXCLUSIVE, and row locks on what it writes"),
    (r"ALTER\s+TYPE", "ACCESS EXCLUSIVE on the type"),
    (r"CREATE\s+(TABLE|TYPE|EXTENSION)", "none on existing tables"),
]
_DML = re.compile(r"^\s*(UPDATE|INSERT|DELETE|MERGE|COPY)\b", re.I)


def statement_table(sql: str) -> str | None:
    """The table a statement acts on, unquoted, when it names one."""
    for pattern in _TABLE_PATTERNS:
        match = pattern.match(sql)
        if match:
            return match.group("table").replace('""', "\x00").replace('"', "").replace("\x00", '"')
    return None


def statement_lock(sql: str) -> str | None:
    """The heaviest lock the statement takes, in PostgreSQL's words."""
    for pattern, lock in _LOCKS:
        if re.match(rf"\s*{pattern}", sql, re.I | re.S):
            return lock
    return None


def is_data_statement(sql: str) -> bool:
    return bool(_DML.match(sql))


# --- the rules --------------------------------------------------------------------


def _added_not_null_without_default(m: LintedMigration) -> Iterator[Hit]:
    for item, operation, before, _ in m.database_operations():
        if not isinstance(operation, ops.AddField):
            continue
        column = operation.field
        if (
            column.null
            or column.many_to_many
            or column.db_default is not NOT_PROVIDED
            or getattr(column, "generated", False)
        ):
            continue
        table = m.model(before, operation.model_name)._meta.db_table
        if table in m.existing_tables:
            yield Hit(item.index, table, detail=f"column {operation.name}")


def _changed_column_type(m: LintedMigration) -> Iterator[Hit]:
    for item, operation, before, after in m.database_operations():
        if not isinstance(operation, ops.AlterField):
            continue
        old_model = m.model(before, operation.model_name)
        table = old_model._meta.db_table
        old = old_model._meta.get_field(operation.name).db_type(m.connection)
        new = m.model(after, operation.model_name)._meta.get_field(operation.name)
        new = new.db_type(m.connection)
        if table in m.existing_tables and old != new:
            yield Hit(item.index, table, detail=f"{operation.name}: {old} -> {new}")


def _renamed_column(m: LintedMigration) -> Iterator[Hit]:
    for item, operation, before, after in m.database_operations():
        if isinstance(operation, ops.RenameField):
            old_name, new_name = operation.old_name, operation.new_name
        elif isinstance(operation, ops.AlterField):
            old_name = new_name = operation.name
        else:
            continue
        old_model = m.model(before, operation.model_name)
        old = old_model._meta.get_field(old_name).column
        new = m.model(after, operation.model_name)._meta.get_field(new_name).column
        table = old_model._meta.db_table
        if old and new and old != new and table in m.existing_tables:
            yield Hit(item.index, table, detail=f"column {old} -> {new}")


def _renamed_table(m: LintedMigration) -> Iterator[Hit]:
    for item, operation, before, after in m.database_operations():
        if isinstance(operation, ops.RenameModel):
            old_name, new_name = operation.old_name, operation.new_name
        elif isinstance(operation, ops.AlterModelTable):
            old_name = new_name = operation.name
        else:
            continue
        old = m.model(before, old_name)._meta.db_table
        new = m.model(after, new_name)._meta.db_table
        if old != new and old in m.existing_tables:
            yield Hit(item.index, old, detail=f"table {old} -> {new}")


def _dropped_column(m: LintedMigration) -> Iterator[Hit]:
    for item, operation, before, _ in m.database_operations():
        if isinstance(operation, ops.RemoveField):
            table = m.model(before, operation.model_name)._meta.db_table
            if table in m.existing_tables:
                yield Hit(item.index, table, detail=f"field {operation.name}")


def _dropped_table(m: LintedMigration) -> Iterator[Hit]:
    for item, operation, before, _ in m.database_operations():
        if isinstance(operation, ops.DeleteModel):
            table = m.model(before, operation.name)._meta.db_table
            if table in m.existing_tables:
                yield Hit(item.index, table)


_INDEX = re.compile(r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY\b)", re.I)


def _index_not_concurrent(m: LintedMigration) -> Iterator[Hit]:
    for item in m.operations:
        for sql in item.statements:
            if _INDEX.match(sql) and statement_table(sql) in m.existing_tables:
                yield Hit(item.index, statement_table(sql), sql)


_CONSTRAINT = re.compile(
    r"^\s*ALTER\s+TABLE\b.*?\bADD\s+CONSTRAINT\s+\S+\s+(?P<kind>FOREIGN\s+KEY|CHECK)\b", re.I | re.S
)
_NOT_VALID = re.compile(r"\bNOT\s+VALID\b", re.I)
_CONSTRAINT_LOCKS = {
    "FOREIGN KEY": "SHARE ROW EXCLUSIVE on both tables while every row is checked",
    "CHECK": "ACCESS EXCLUSIVE while every row is checked (reads and writes blocked)",
}


def _constraint_validated_at_once(m: LintedMigration) -> Iterator[Hit]:
    for item in m.operations:
        for sql in item.statements:
            match = _CONSTRAINT.match(sql)
            table = statement_table(sql)
            if match and not _NOT_VALID.search(sql) and table in m.existing_tables:
                kind = " ".join(match["kind"].upper().split())
                yield Hit(item.index, table, sql, lock=_CONSTRAINT_LOCKS[kind])


def _run_python_without_reverse(m: LintedMigration) -> Iterator[Hit]:
    for item, operation, _, _ in m.database_operations():
        if isinstance(operation, ops.RunPython) and operation.reverse_code is None:
            yield Hit(item.index)


def _run_sql_without_reverse(m: LintedMigration) -> Iterator[Hit]:
    for item, operation, _, _ in m.database_operations():
        if isinstance(operation, ops.RunSQL) and operation.reverse_sql is None:
            yield Hit(item.index)


def _uses_label(operation: Operation, enum_type: str, label: str) -> bool:
    """Whether ``operation`` writes or defaults to ``label`` of ``enum_type``."""
    if isinstance(operation, ops.CreateModel):
        fields = [f for _, f in operation.fields]
    elif isinstance(operation, (ops.AddField, ops.AlterField)):
        fields = [operation.field]
    elif isinstance(operation, ops.RunSQL):
        sql = operation.sql if isinstance(operation.sql, str) else " ".join(map(str, operation.sql))
        return f"'{label}'" in sql
    elif isinstance(operation, ops.RunPython):
        try:
            source = inspect.getsource(operation.code)
        except (OSError, TypeError):
            return False
        return f"'{label}'" in source or f'"{label}"' in source
    else:
        return False
    return any(
        isinstance(f, EnumField)
        and f.enum_type == enum_type
        and label in (f.default, getattr(f.db_default, "value", f.db_default))
        for f in fields
    )


def _enum_label_added_and_used(m: LintedMigration) -> Iterator[Hit]:
    if not m.migration.atomic:
        return
    added = []
    for item, operation, _, _ in m.database_operations():
        if isinstance(operation, AddEnumValue):
            added.append((operation.name, operation.value))
            continue
        for enum_type, label in added:
            if _uses_label(operation, enum_type, label):
                yield Hit(item.index, detail=f"label {label} of {enum_type}")


def _is_data_operation(item: OperationSQL) -> bool:
    if isinstance(item.operation, ops.RunPython):
        return True
    return (
        isinstance(item.operation, ops.RunSQL)
        and bool(item.statements)
        and all(map(is_data_statement, item.statements))
    )


def _backfill_in_schema_migration(m: LintedMigration) -> Iterator[Hit]:
    if not m.migration.atomic:
        return
    data = [item for item in m.operations if _is_data_operation(item)]
    data_indexes = {item.index for item in data}
    schema = [item for item in m.operations if item.statements and item.index not in data_indexes]
    if data and schema:
        tables = sorted({statement_table(s) for i in schema for s in i.statements} - {None})
        for item in data:
            yield Hit(item.index, ", ".join(tables) or None)


_AUTO_NAME = re.compile(r"^\d{4}_auto_\d{8}_\d{4}$")


def _auto_generated_name(m: LintedMigration) -> Iterator[Hit]:
    if _AUTO_NAME.match(m.migration.name):
        yield Hit(None)


def _operation_fails(m: LintedMigration) -> Iterator[Hit]:
    for item in m.operations:
        if item.error:
            yield Hit(item.index, detail=item.error)


_ROLLING = (
    "During a rolling deploy the old code keeps running against the new schema and fails on it."
)

RULES: tuple[Rule, ...] = (
    Rule(
        "not-null-column-without-default",
        "A NOT NULL column without a database default is added to an existing table: "
        "INSERTs from code that does not know the column fail.",
        "ACCESS EXCLUSIVE (brief, no rewrite)",
        "Give the field a db_default (kept in the database), or add it null=True, "
        "backfill, and make it NOT NULL in a later deploy.",
        _added_not_null_without_default,
        frozenset({"adding-required-field", "ban-drop-default"}),
    ),
    Rule(
        "column-type-change",
        "A column's type changes on an existing table: the table is rewritten and "
        "running code may not read the new type.",
        "ACCESS EXCLUSIVE for the whole rewrite (reads and writes blocked)",
        "Add a new column, write both, backfill in batches, switch reads, drop the "
        "old column later. Widening a varchar (or varchar to text) rewrites nothing "
        "but still locks: waive it with that reason.",
        _changed_column_type,
        frozenset({"changing-column-type"}),
    ),
    Rule(
        "rename-column",
        f"A column of an existing table is renamed. {_ROLLING}",
        "ACCESS EXCLUSIVE (brief)",
        "Keep the column name (set db_column to it), or add the new column, "
        "write both, backfill, switch, and drop the old one in a later deploy.",
        _renamed_column,
        frozenset({"renaming-column"}),
    ),
    Rule(
        "rename-table",
        f"An existing table is renamed. {_ROLLING}",
        "ACCESS EXCLUSIVE (brief)",
        "Keep the table name (set Meta.db_table to it); rename the model only.",
        _renamed_table,
        frozenset({"renaming-table"}),
    ),
    Rule(
        "drop-column",
        f"A column is dropped from an existing table. {_ROLLING}",
        "ACCESS EXCLUSIVE (brief)",
        "Two deploys: first stop using the field (remove it from the model with "
        "SeparateDatabaseAndState, state only; make it nullable), then drop the column "
        "in a later migration with a waiver.",
        _dropped_column,
        frozenset({"ban-drop-column"}),
    ),
    Rule(
        "drop-table",
        f"An existing table is dropped. {_ROLLING}",
        "ACCESS EXCLUSIVE (brief)",
        "Two deploys: first stop using the model (SeparateDatabaseAndState, state "
        "only), then drop the table in a later migration with a waiver.",
        _dropped_table,
        frozenset({"ban-drop-table"}),
    ),
    Rule(
        "index-not-concurrent",
        "An index is built on an existing table without CONCURRENTLY.",
        "SHARE for the whole build (writes blocked)",
        "Use django.contrib.postgres.operations.AddIndexConcurrently in a migration "
        "with atomic = False (a unique index: a unique AddIndexConcurrently).",
        _index_not_concurrent,
        frozenset({"require-concurrent-index-creation"}),
    ),
    Rule(
        "constraint-not-valid",
        "A foreign key or check constraint is added to an existing table and "
        "validated at once, scanning every row under lock.",
        "SHARE ROW EXCLUSIVE on both tables (foreign key) or ACCESS EXCLUSIVE (check), "
        "while every row is checked",
        "Add it NOT VALID (AddConstraintNotValid for checks; RunSQL ... NOT VALID "
        "in SeparateDatabaseAndState for foreign keys), then ValidateConstraint / "
        "VALIDATE CONSTRAINT in a later migration.",
        _constraint_validated_at_once,
        frozenset({"adding-foreign-key-constraint", "constraint-missing-not-valid"}),
    ),
    Rule(
        "run-python-without-reverse",
        "RunPython has no reverse_code: the migration cannot be unapplied.",
        "none",
        "Give it reverse_code (migrations.RunPython.noop when there is nothing to undo).",
        _run_python_without_reverse,
    ),
    Rule(
        "run-sql-without-reverse",
        "RunSQL has no reverse_sql: the migration cannot be unapplied.",
        "none",
        "Give it reverse_sql (migrations.RunSQL.noop when there is nothing to undo).",
        _run_sql_without_reverse,
    ),
    Rule(
        "enum-label-added-and-used",
        "An enum label is added and used in the same transaction: PostgreSQL refuses "
        "(unsafe use of new value) and the migration fails.",
        "none (the migration fails)",
        "Add the label in its own migration, and use it in the next one.",
        _enum_label_added_and_used,
    ),
    Rule(
        "backfill-in-schema-migration",
        "A data backfill runs inside an atomic migration that also changes the "
        "schema: the schema locks are held until the backfill commits.",
        "the locks of the migration's schema changes, for the whole backfill",
        "Move the backfill to its own migration (atomic = False, in batches), "
        "after the schema migration.",
        _backfill_in_schema_migration,
    ),
    Rule(
        "auto-generated-name",
        "The migration has an auto-generated name, which says nothing of what it does.",
        "none",
        "Rename it (and references to it) to say what it does: "
        "makemigrations --name add_card_slug.",
        _auto_generated_name,
    ),
    Rule(
        "operation-fails",
        "The operation fails before its SQL can be written; migrate would fail too.",
        "none",
        "Fix the operation (a CONCURRENTLY operation needs atomic = False on its migration).",
        _operation_fails,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}
