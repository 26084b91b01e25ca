"""A schema editor that writes the DDL Prisma writes.

Stock Django differs from Prisma's DDL in four ways that matter here, each
undone below: foreign keys are DEFERRABLE and carry no ON DELETE / ON UPDATE
action; uniqueness is a constraint rather than a unique index; text columns get a
second ``_like`` index; and constraint and index names end in hashes.

``schema_editor(batch=True)`` sends an atomic migration's statements to the server
together (``americano.db.backend.batch``).
"""

from django.db.backends.base.schema import logger
from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor
from django.db.models import Value

from americano.db.backend.batch import StatementBatch
from americano.db.names import prisma_name

#: Django's suffixes for names it generates, and Prisma's for the same objects.
PRISMA_SUFFIXES = {"": "idx", "_pk": "pkey", "_uniq": "key"}


class DatabaseSchemaEditor(PostgresSchemaEditor):
    sql_create_fk = (
        "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s FOREIGN KEY (%(column)s) "
        "REFERENCES %(to_table)s (%(to_column)s)%(deferrable)s%(actions)s"
    )
    # A foreign key must be a separate statement to get its Prisma name.
    sql_create_column_inline_fk = None
    # Uniqueness is always a unique index, as in Prisma's DDL.
    sql_create_unique = "CREATE UNIQUE INDEX %(name)s ON %(table)s (%(columns)s)%(nulls_distinct)s"
    sql_delete_unique = "DROP INDEX IF EXISTS %(name)s"

    def __init__(self, connection, collect_sql=False, atomic=True, batch=False):
        super().__init__(connection, collect_sql, atomic)
        self.wants_batch = batch and self.atomic_migration and not collect_sql
        self.batch: StatementBatch | None = None

    def __enter__(self):
        editor = super().__enter__()
        # Holding statements back is safe only inside the migration's own transaction (the
        # atomic block is opened by alias: it may belong to another connection object).
        if self.wants_batch and self.connection.in_atomic_block:
            self.batch = StatementBatch(self.connection)
            self.connection.execute_wrappers.append(self.batch)
        return editor

    def __exit__(self, exc_type, exc_value, traceback):
        if self.batch is None:
            return super().__exit__(exc_type, exc_value, traceback)
        failure = None
        try:
            if exc_type is None:
                self.execute_deferred()
                self.batch.send()
        except Exception as error:
            failure = error
            exc_type, exc_value, traceback = type(error), error, error.__traceback__
        finally:
            self.batch.discard()
            self.connection.execute_wrappers.remove(self.batch)
            self.batch = None
        super().__exit__(exc_type, exc_value, traceback)  # commits, or rolls back
        if failure is not None:
            raise failure

    def execute_deferred(self) -> None:
        """Run the deferred statements (foreign keys, indexes) now rather than on exit: the
        executor then records the migration after them, in the same transaction."""
        for sql in self.deferred_sql:
            self.execute(sql, None)
        self.deferred_sql = []

    def execute(self, sql, params=()):
        if self.batch is None:
            return super().execute(sql, params)
        # As Django's editors do, minus running it: composed client-side and logged, then held.
        if params is not None:
            sql = self.connection.ops.compose_sql(str(sql), params)
        sql = str(sql)
        logger.debug("%s; (params %r)", sql, None, extra={"params": None, "sql": sql})
        self.batch.hold(sql)

    def _create_index_name(self, table_name, column_names, suffix=""):
        if suffix in PRISMA_SUFFIXES:
            return prisma_name(table_name, column_names, PRISMA_SUFFIXES[suffix])
        return super()._create_index_name(table_name, column_names, suffix)

    def _create_fk_sql(self, model, field, suffix):
        statement = super()._create_fk_sql(model, field, suffix)
        if hasattr(field, "db_on_delete"):
            name = prisma_name(model._meta.db_table, [field.column], "fkey")
            statement.parts.update(
                name=self.quote_name(name),
                deferrable="",
                actions=f" ON DELETE {field.db_on_delete} ON UPDATE {field.db_on_update}",
            )
        else:
            # Django's own tables keep Django's deferrable foreign keys.
            statement.parts["actions"] = ""
        return statement

    def _iter_column_sql(self, *args, **kwargs):
        # The unique index comes from _field_indexes_sql instead.
        for part in super()._iter_column_sql(*args, **kwargs):
            if part != "UNIQUE":
                yield part

    def _field_indexes_sql(self, model, field):
        output = super()._field_indexes_sql(model, field)
        if field.unique and not field.primary_key:
            output.append(self._create_unique_sql(model, [field]))
        return output

    def db_default_sql(self, field):
        default = field._db_default_expression
        if isinstance(default, Value) and type(default.value) in (int, float):
            # Keep a number as written: Prisma's ``DEFAULT 0`` on a double
            # column stays ``0``, where the field would render ``0.0``.
            return "%s", [default.value]
        return super().db_default_sql(field)

    def _create_like_index_sql(self, model, field):
        # Prisma creates no text_pattern_ops twin of a text index.
        return None

    def _unique_supported(self, condition=None, deferrable=None, **kwargs):
        if deferrable:
            raise ValueError("a unique index cannot be deferrable")
        return super()._unique_supported(condition=condition, deferrable=deferrable, **kwargs)

    def _unique_sql(self, model, fields, name, **kwargs):
        # A unique index cannot sit in CREATE TABLE: create it afterwards.
        statement = self._create_unique_sql(model, fields, name=name, **kwargs)
        if statement is not None:
            self.deferred_sql.append(statement)
        return None
