"""Rules on what a migration runs besides schema operations: RunPython, RunSQL, enum
labels, timeouts, and the migration as a whole."""

import inspect
import re
from collections.abc import Iterator

from django.db.migrations import operations as ops
from django.db.migrations.operations.base import Operation

from americano.db.fields import EnumField
from americano.db.operations import AddEnumValue, RemoveEnumValue
from americano.ops.lint.model import Cost, Hit, LintedMigration, OperationSQL
from americano.ops.lint.statements import is_data_statement, statement_table, timeout_settings


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
    elif isinstance(operation, ops.AddField | ops.AlterField):
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


def _enum_label_removed(m: LintedMigration) -> Iterator[Hit]:
    """Every table with a column of the rebuilt type is rewritten (read from the state, as
    the SQL written without the type in the database would not show them)."""
    for item, operation, before, _ in m.database_operations():
        if not isinstance(operation, RemoveEnumValue):
            continue
        for model in before.apps.get_models():
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if isinstance(f, EnumField) and f.enum_type == operation.name
            ]
            if columns and model._meta.db_table in m.existing_tables:
                detail = f"{operation.name} of {', '.join(columns)}"
                yield Hit(item.index, model._meta.db_table, detail=detail)


def _is_data_operation(item: OperationSQL) -> bool:
    if isinstance(item.operation, ops.RunPython):
        return True
    return (
        isinstance(item.operation, ops.RunSQL)
        and bool(item.statements)
        and all(map(is_data_statement, item.statements))
    )


def _backfill_in_schema_migration(m: LintedMigration) -> Iterator[Hit]:
    """Data operations in an atomic migration whose schema changes lock existing tables."""
    if not m.migration.atomic:
        return
    data = [item for item in m.operations if _is_data_operation(item)]
    data_indexes = {item.index for item in data}
    locked = (
        {
            statement_table(sql)
            for item in m.operations
            if item.index not in data_indexes
            for sql in item.statements
        }
        - {None}
        - m.created_tables
    )
    if data and locked:
        for item in data:
            yield Hit(item.index, ", ".join(sorted(locked)))


_AUTO_NAME = re.compile(r"^\d{4}_auto_\d{8}_\d{4}$")


def _auto_generated_name(m: LintedMigration) -> Iterator[Hit]:
    if _AUTO_NAME.match(m.migration.name):
        yield Hit(None)


def _operation_fails(m: LintedMigration) -> Iterator[Hit]:
    for item in m.operations:
        if item.error:
            yield Hit(item.index, detail=item.error)


#: The lock_timeout migrate and migrate_deploy set before each migration (issue 12's
#: default): a migration that waits longer for a lock than this queues the table's traffic.
DEPLOY_LOCK_TIMEOUT_MS = 5000


def _timeout_overridden(m: LintedMigration) -> Iterator[Hit]:
    for item in m.operations:
        for sql in item.statements:
            for setting, limit in timeout_settings(sql):
                shown = "none" if limit is None else f"{limit} ms"
                detail = f"{setting} {shown}"
                if setting == "statement_timeout":
                    yield Hit(item.index, sql=sql, detail=detail, cost=Cost.ADVICE)
                elif limit is None or limit > DEPLOY_LOCK_TIMEOUT_MS:
                    yield Hit(item.index, sql=sql, detail=detail)
