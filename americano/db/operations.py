"""Migration operations for PostgreSQL enum types.

Enum types are not model state: like ``CreateExtension``, these operations act on
the database only, and the autodetector learns which types exist by reading them
back from the migration graph.
"""

from django.db.migrations.operations.base import Operation


def _labels_sql(schema_editor, labels) -> str:
    return ", ".join(schema_editor.quote_value(label) for label in labels)


def _create_type(schema_editor, name, labels) -> None:
    quoted = schema_editor.quote_name(name)
    schema_editor.execute(f"CREATE TYPE {quoted} AS ENUM ({_labels_sql(schema_editor, labels)})")


def _drop_type(schema_editor, name) -> None:
    schema_editor.execute(f"DROP TYPE {schema_editor.quote_name(name)}")


def _add_value(schema_editor, name, value, after=None, before=None) -> None:
    position = ""
    if after:
        position = f" AFTER {schema_editor.quote_value(after)}"
    elif before:
        position = f" BEFORE {schema_editor.quote_value(before)}"
    schema_editor.execute(
        f"ALTER TYPE {schema_editor.quote_name(name)} "
        f"ADD VALUE {schema_editor.quote_value(value)}{position}"
    )


def _rebuild_without(schema_editor, name, value) -> None:
    """Remove ``value`` from enum type ``name``; PostgreSQL cannot drop a label.

    The type is recreated without it and every column of that type converted,
    which fails (and rolls back) while a row still holds the label.
    """
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT enumlabel FROM pg_enum WHERE enumtypid = %s::regtype ORDER BY enumsortorder",
            [schema_editor.quote_name(name)],
        )
        labels = [label for (label,) in cursor.fetchall() if label != value]
        cursor.execute(
            """
            SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.atttypid = %s::regtype AND NOT a.attisdropped
            ORDER BY 1, 2
            """,
            [schema_editor.quote_name(name)],
        )
        columns = cursor.fetchall()
    quoted = schema_editor.quote_name(name)
    retired = schema_editor.quote_name(f"{name[:55]}_retired")
    schema_editor.execute(f"ALTER TYPE {quoted} RENAME TO {retired}")
    _create_type(schema_editor, name, labels)
    for table, column, default in columns:
        table, column = schema_editor.quote_name(table), schema_editor.quote_name(column)
        alter = f"ALTER TABLE {table} ALTER COLUMN {column}"
        if default is not None:
            schema_editor.execute(f"{alter} DROP DEFAULT")
        schema_editor.execute(f"{alter} TYPE {quoted} USING {column}::text::{quoted}")
        if default is not None:
            schema_editor.execute(f"{alter} SET DEFAULT {default}")
    schema_editor.execute(f"DROP TYPE {retired}")


class EnumTypeOperation(Operation):
    reduces_to_sql = True
    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def references_model(self, name, app_label):
        return False


class CreateEnumType(EnumTypeOperation):
    """``CREATE TYPE name AS ENUM (labels)``; reversed by dropping the type."""

    def __init__(self, name: str, values: list[str]):
        self.name = name
        self.values = list(values)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        _create_type(schema_editor, self.name, self.values)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _drop_type(schema_editor, self.name)

    def describe(self):
        return f"Create enum type {self.name}"

    @property
    def migration_name_fragment(self):
        return f"create_enum_{self.name.lower()}"


class DropEnumType(EnumTypeOperation):
    """``DROP TYPE name``; reversed by recreating it with ``values``."""

    def __init__(self, name: str, values: list[str]):
        self.name = name
        self.values = list(values)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        _drop_type(schema_editor, self.name)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _create_type(schema_editor, self.name, self.values)

    def describe(self):
        return f"Drop enum type {self.name}"

    @property
    def migration_name_fragment(self):
        return f"drop_enum_{self.name.lower()}"


class AddEnumValue(EnumTypeOperation):
    """``ALTER TYPE name ADD VALUE value [AFTER after | BEFORE before]``.

    PostgreSQL does not let a transaction use a label it has just added: a
    migration that adds a label must not also write rows holding it.
    Reversed by rebuilding the type without the label.
    """

    def __init__(self, name: str, value: str, after: str | None = None, before: str | None = None):
        self.name = name
        self.value = value
        self.after = after
        self.before = before

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        _add_value(schema_editor, self.name, self.value, self.after, self.before)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _rebuild_without(schema_editor, self.name, self.value)

    def describe(self):
        return f"Add label {self.value} to enum type {self.name}"

    @property
    def migration_name_fragment(self):
        return f"add_{self.name.lower()}_{self.value.lower()}"


class RemoveEnumValue(EnumTypeOperation):
    """Remove a label by rebuilding the type; fails while a row still holds it."""

    def __init__(self, name: str, value: str, after: str | None = None, before: str | None = None):
        self.name = name
        self.value = value
        self.after = after
        self.before = before

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        _rebuild_without(schema_editor, self.name, self.value)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _add_value(schema_editor, self.name, self.value, self.after, self.before)

    def describe(self):
        return f"Remove label {self.value} from enum type {self.name}"

    @property
    def migration_name_fragment(self):
        return f"remove_{self.name.lower()}_{self.value.lower()}"


def replay_enum_types(migrations, types=None) -> dict[str, tuple[str, list[str]]]:
    """Fold the enum operations of ``(app_label, migration)`` pairs, in order.

    Returns ``{type name: (owning app label, labels)}``: what the history builds
    (on top of ``types``, if given).
    """
    types = {name: (owner, list(labels)) for name, (owner, labels) in (types or {}).items()}
    for app_label, migration in migrations:
        for operation in migration.operations:
            if isinstance(operation, CreateEnumType):
                types[operation.name] = (app_label, list(operation.values))
            elif isinstance(operation, DropEnumType):
                types.pop(operation.name, None)
            elif isinstance(operation, AddEnumValue):
                labels = types[operation.name][1]
                if operation.after:
                    at = labels.index(operation.after) + 1
                elif operation.before:
                    at = labels.index(operation.before)
                else:
                    at = len(labels)
                labels.insert(at, operation.value)
            elif isinstance(operation, RemoveEnumValue):
                types[operation.name][1].remove(operation.value)
    return types
