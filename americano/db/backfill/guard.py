"""``GuardConversion``: before a column's type changes, find the values that would not convert."""

from __future__ import annotations

import os
from typing import Any

from django.db import router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.operations.base import Operation

from americano.db.backfill.checkpoints import forget
from americano.db.backfill.errors import BadBackfill, ConversionRefused
from americano.db.backfill.limits import BATCH_SIZE, checked_batch_size
from americano.db.backfill.operations import changed_options, require_autocommit
from americano.db.backfill.runner import LOCK_TIMEOUT, Backfill

#: Environment variable with which an operator overrides ``GuardConversion(on_invalid=...)``.
ON_INVALID_ENV = "AMERICANO_ON_INVALID"
ON_INVALID_CHOICES = ("refuse", "null")


def integer_guard(column: str) -> str:
    """An SQL condition, true when text ``column`` (quoted SQL) converts to ``integer``.

    A regular expression first, so that the range check never casts garbage.
    """
    return (
        f"CASE WHEN {column} ~ '^\\s*[+-]?[0-9]+\\s*$'"
        f" THEN {column}::numeric BETWEEN -2147483648 AND 2147483647 ELSE false END"
    )


class GuardConversion(Operation):
    """Before a column's type changes: find the rows whose value would not convert.

    ``valid`` is an SQL condition true for a value that converts (``integer_guard``).
    With ``on_invalid="refuse"`` the migration stops, before anything changed, with
    a report of those rows; with ``"null"`` they are set to NULL first, in batches.
    The operator overrides the choice for one run with ``AMERICANO_ON_INVALID``.
    Reversing it does nothing (the nulled values are gone).
    """

    reduces_to_sql = False
    reversible = True
    atomic = False

    def __init__(
        self,
        model_name: str,
        field_name: str,
        valid: str,
        *,
        on_invalid: str = "refuse",
        sample: int = 10,
        batch_size: int = BATCH_SIZE,
        lock_timeout: str = LOCK_TIMEOUT,
    ):
        if on_invalid not in ON_INVALID_CHOICES:
            raise ValueError(f"on_invalid must be one of {ON_INVALID_CHOICES}, not {on_invalid!r}")
        self.model_name = model_name
        self.field_name = field_name
        self.valid = valid
        self.on_invalid = on_invalid
        self.sample = sample
        self.batch_size = checked_batch_size(
            batch_size, f"GuardConversion of {model_name}.{field_name}: batch_size"
        )
        self.lock_timeout = lock_timeout

    def deconstruct(self):
        defaults = {"sample": 10, "batch_size": BATCH_SIZE, "lock_timeout": LOCK_TIMEOUT}
        kwargs = {"on_invalid": self.on_invalid, **changed_options(self, defaults)}
        return self.__class__.__qualname__, [self.model_name, self.field_name, self.valid], kwargs

    def state_forwards(self, app_label, state):
        pass

    def references_model(self, name, app_label):
        return name.lower() == self.model_name.lower()

    def policy(self) -> str:
        """``on_invalid``, unless the operator set ``AMERICANO_ON_INVALID`` for this run."""
        value = os.environ.get(ON_INVALID_ENV, "").strip().lower() or self.on_invalid
        if value not in ON_INVALID_CHOICES:
            raise BadBackfill(
                f"{ON_INVALID_ENV} must be one of {', '.join(ON_INVALID_CHOICES)}, not {value!r}"
            )
        return value

    def checkpoint_name(self, model) -> str:
        return f"{model._meta.app_label}.{self.model_name.lower()}.{self.field_name}:null_invalid"

    def invalid_condition(self, model, connection: BaseDatabaseWrapper) -> str:
        column = connection.ops.quote_name(model._meta.get_field(self.field_name).column)
        return f"{column} IS NOT NULL AND NOT ({self.valid})"

    def invalid_rows(
        self, model, connection: BaseDatabaseWrapper
    ) -> tuple[int, list[tuple[Any, Any]]]:
        """How many rows would not convert, and the first ``sample`` as ``(pk, value)``."""
        quote = connection.ops.quote_name
        field = model._meta.get_field(self.field_name)
        table, pk, column = quote(model._meta.db_table), quote(model._meta.pk.column), field.column
        condition = self.invalid_condition(model, connection)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE {condition}")
            count = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT {pk}, {quote(column)} FROM {table} WHERE {condition} ORDER BY {pk}"
                " LIMIT %s",
                [self.sample],
            )
            return count, cursor.fetchall()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        connection = schema_editor.connection
        model = from_state.apps.get_model(app_label, self.model_name)
        if not router.allow_migrate_model(connection.alias, model):
            return
        table = model._meta.db_table.replace('"', "")  # a schema-qualified name reads a.b
        what = f"{table}.{model._meta.get_field(self.field_name).column}"
        require_autocommit(schema_editor, f"the conversion guard of {what}")
        policy = self.policy()
        count, sample = self.invalid_rows(model, connection)
        if not count:
            return
        if policy == "refuse":
            shown = ", ".join(f"{pk}={value!r}" for pk, value in sample)
            more = f" and {count - len(sample)} more" if count > len(sample) else ""
            raise ConversionRefused(
                f"{count} rows of {what} would not convert: {shown}{more}; fix them, or migrate"
                f" with {ON_INVALID_ENV}=null to set them to NULL"
            )
        backfill = Backfill(
            self.checkpoint_name(model),
            model,
            connection=connection,
            pending=self.invalid_condition(model, connection),
            update={self.field_name: None},
            app_label=app_label,
            batch_size=self.batch_size,
            lock_timeout=self.lock_timeout,
        )
        checkpoint = backfill.checkpoint()
        if checkpoint and checkpoint.finished_at:
            forget(backfill.name, connection)  # new invalid rows since: walk again
        backfill.run()

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        forget(self.checkpoint_name(model), schema_editor.connection)

    def describe(self):
        return f"Check that {self.model_name}.{self.field_name} converts ({self.on_invalid} others)"

    @property
    def migration_name_fragment(self):
        return f"guard_{self.model_name.lower()}_{self.field_name.lower()}"
