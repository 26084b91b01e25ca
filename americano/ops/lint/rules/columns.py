"""Rules on columns and tables: adding, changing, renaming and dropping them."""

import re
from collections.abc import Iterator

from django.db.migrations import operations as ops
from django.db.models import NOT_PROVIDED, Field, GeneratedField, Value
from django.db.models.sql import Query

from americano.ops.lint.model import Hit, LintedMigration, OperationSQL, Overrule
from americano.ops.lint.statements import (
    dropped_column,
    dropped_table,
    statement_table,
    unqualified,
)

# --- defaults -----------------------------------------------------------------------


def _sets_default_later(m: LintedMigration, item: OperationSQL, table: str, column: str) -> bool:
    """Whether a later statement of the migration gives ``column`` a database default."""
    pattern = re.compile(
        rf'ALTER\s+TABLE\s+"?{re.escape(table)}"?\s+ALTER\s+COLUMN\s+"?{re.escape(column)}"?'
        r"\s+SET\s+DEFAULT\b",
        re.I,
    )
    later = (i for i in m.operations if i.index > item.index)
    return any(pattern.match(sql) for i in later for sql in i.statements)


def _has_db_default(field: Field) -> bool:
    return field.db_default is not NOT_PROVIDED


def _required_without_db_default(field: Field) -> bool:
    return not (field.null or field.many_to_many or _has_db_default(field) or field.generated)


_SET_LATER = "a later statement of this migration gives the column a database default"


def _not_null_without_default(m: LintedMigration) -> Iterator[Hit | Overrule]:
    for item, operation, before, after in m.database_operations():
        if not isinstance(operation, ops.AddField | ops.AlterField):
            continue
        table = m.model(before, operation.model_name)._meta.db_table
        if table not in m.existing_tables:
            continue
        new = m.model(after, operation.model_name)._meta.get_field(operation.name)
        if isinstance(operation, ops.AddField):
            if _required_without_db_default(new):
                if not _sets_default_later(m, item, table, new.column):
                    yield Hit(item.index, table, detail=f"column {new.column}")
                    continue
                yield Overrule(item.index, frozenset({"ban-drop-default"}), _SET_LATER)
                continue
            lost = False
        else:
            old = m.model(before, operation.model_name)._meta.get_field(operation.name)
            lost = _has_db_default(old) and not _has_db_default(new)
            if lost and not new.null:
                yield Hit(item.index, table, detail=f"column {new.column} loses its default")
                continue
        yield Overrule(
            item.index,
            frozenset({"ban-drop-default"}),
            "the column is nullable: INSERTs that omit it store NULL"
            if lost
            else "the default dropped is the one Django adds to fill the existing rows; "
            "the running code never relied on it",
        )


# --- types ----------------------------------------------------------------------------

_TYPE = re.compile(
    r"^(?P<base>varchar|numeric|timestamp|time)(?:\((?P<args>[\d,\s]+)\))?(?P<rest>.*)$", re.I
)


def _widens(old: str, new: str) -> bool:
    """Whether ``old`` -> ``new`` only lifts a limit, which PostgreSQL does without a rewrite
    (and keeps the indexes): varchar(n) to a longer varchar or text, numeric(p, s) to a
    larger p or no limit, timestamp/time(p) to a larger p."""
    if re.fullmatch(r"varchar\(\d+\)", old, re.I) and new.lower() == "text":
        return True
    o, n = _TYPE.match(old), _TYPE.match(new)
    if not (o and n) or o["base"].lower() != n["base"].lower() or o["rest"] != n["rest"]:
        return False
    if not o["args"] or not n["args"]:
        return not n["args"]
    old_args = [int(a) for a in o["args"].split(",")]
    new_args = [int(a) for a in n["args"].split(",")]
    return new_args[0] >= old_args[0] and new_args[1:] == old_args[1:]


def _changed_column_type(m: LintedMigration) -> Iterator[Hit | Overrule]:
    for item, operation, before, after in m.database_operations():
        if not isinstance(operation, ops.AlterField):
            continue
        old_model = m.model(before, operation.model_name)
        table = old_model._meta.db_table
        old = old_model._meta.get_field(operation.name).db_type(m.connection)
        new = m.model(after, operation.model_name)._meta.get_field(operation.name)
        new = new.db_type(m.connection)
        if table not in m.existing_tables or old == new:
            continue
        if _widens(old, new):
            yield Overrule(
                item.index,
                frozenset({"changing-column-type"}),
                f"{old} -> {new} only lifts a limit: no rewrite, the indexes are kept, "
                "and ACCESS EXCLUSIVE lasts a moment",
            )
        else:
            yield Hit(item.index, table, detail=f"{operation.name}: {old} -> {new}")


# --- rewrites -------------------------------------------------------------------------

_FUNCTION = re.compile(r"\b([a-z_][a-z0-9_]*)\s*\(", re.I)
_REWRITING_SQL = re.compile(
    r"^\s*(?:VACUUM\s+(?:\(\s*)?FULL\b|CLUSTER\b"
    r"|ALTER\s+TABLE\b.*\bSET\s+(?:TABLESPACE|LOGGED|UNLOGGED|ACCESS\s+METHOD)\b)",
    re.I | re.S,
)


def _volatile_functions(m: LintedMigration, field: Field) -> list[str]:
    """The volatile functions of ``field``'s database default, asked of the server."""
    sql, _ = (
        Query(field.model)
        .get_compiler(connection=m.connection)
        .compile(field._db_default_expression)
    )
    names = sorted({name.lower() for name in _FUNCTION.findall(sql)})
    if not names:
        return []
    with m.connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT proname FROM pg_proc WHERE provolatile = 'v' AND proname = ANY(%s)",
            [names],
        )
        return sorted(name for (name,) in cursor.fetchall())


def _rewrites_table(m: LintedMigration) -> Iterator[Hit | Overrule]:
    for item, operation, _, after in m.database_operations():
        if isinstance(operation, ops.AddField):
            table = m.model(after, operation.model_name)._meta.db_table
            field = m.model(after, operation.model_name)._meta.get_field(operation.name)
            if table not in m.existing_tables:
                continue
            if isinstance(field, GeneratedField) and field.db_persist:
                yield Hit(item.index, table, detail=f"stored generated column {field.column}")
            elif _has_db_default(field) and not isinstance(field.db_default, Value):
                volatile = _volatile_functions(m, field)
                if volatile:
                    detail = f"column {field.column}: {', '.join(volatile)}() is volatile"
                    yield Hit(item.index, table, detail=detail)
                else:
                    yield Overrule(
                        item.index,
                        frozenset({"adding-field-with-default"}),
                        f"the default of {field.column} is not volatile: PostgreSQL computes "
                        "it once and rewrites nothing",
                    )
    for item in m.operations:
        for sql in item.statements:
            table = statement_table(sql)
            if _REWRITING_SQL.match(sql) and unqualified(table) not in m.created_tables:
                yield Hit(item.index, table, sql)


# --- renames and drops ----------------------------------------------------------------


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


def _renamed_table(m: LintedMigration) -> Iterator[Hit | Overrule]:
    for item, operation, before, after in m.database_operations():
        if isinstance(operation, ops.RenameIndex):
            yield Overrule(
                item.index, frozenset({"renaming-object"}), "no running code names an index"
            )
            continue
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


_FORGOTTEN = "no model in the migration's state has {what}: the running code does not read it"


def _dropped_column(m: LintedMigration) -> Iterator[Hit | Overrule]:
    for item, operation, before, _ in m.database_operations():
        if isinstance(operation, ops.RemoveField):
            table = m.model(before, operation.model_name)._meta.db_table
            if table in m.existing_tables:
                yield Hit(item.index, table, detail=f"field {operation.name}")
    for item in m.operations:
        for sql in item.statements:
            table, column = unqualified(statement_table(sql)), dropped_column(sql)
            if (
                column
                and table in m.existing_tables
                and column not in m.columns(item.before, table)
            ):
                what = f"column {column} of {table}"
                yield Overrule(
                    item.index, frozenset({"ban-drop-column"}), _FORGOTTEN.format(what=what)
                )


def _dropped_table(m: LintedMigration) -> Iterator[Hit | Overrule]:
    for item, operation, before, _ in m.database_operations():
        if isinstance(operation, ops.DeleteModel):
            table = m.model(before, operation.name)._meta.db_table
            if table in m.existing_tables:
                yield Hit(item.index, table)
    for item in m.operations:
        for sql in item.statements:
            table = unqualified(dropped_table(sql))
            if table and table not in m.existing_tables | m.created_tables:
                yield Overrule(
                    item.index,
                    frozenset({"ban-drop-table"}),
                    _FORGOTTEN.format(what=f"table {table}"),
                )


def _required_column_hidden(m: LintedMigration) -> Iterator[Hit]:
    """A state-only removal of a NOT NULL column that has no database default."""
    for item in m.operations:
        operation = item.operation
        if not isinstance(operation, ops.SeparateDatabaseAndState):
            continue
        dropped = {
            (op.model_name.lower(), op.name.lower())
            for op in operation.database_operations
            if isinstance(op, ops.RemoveField)
        }
        for state_op in operation.state_operations:
            if not isinstance(state_op, ops.RemoveField):
                continue
            key = (state_op.model_name.lower(), state_op.name.lower())
            model = m.model(item.before, state_op.model_name)
            field = model._meta.get_field(state_op.name)
            if (
                key not in dropped
                and model._meta.db_table in m.existing_tables
                and field.concrete
                and not field.primary_key
                and _required_without_db_default(field)
            ):
                yield Hit(item.index, model._meta.db_table, detail=f"column {field.column}")
