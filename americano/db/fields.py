"""Model fields whose columns are the ones Prisma created.

Each field keeps Django's Python behaviour and changes only what reaches the
database: the column type, and for relations the ON DELETE / ON UPDATE actions.
"""

import datetime

import cuid
from django.conf import settings
from django.db import models
from django.utils import timezone


def new_cuid() -> str:
    """A new cuid, the primary key Prisma's ``@default(cuid())`` generates client-side."""
    return cuid.cuid()


class TimestampField(models.DateTimeField):
    """A ``timestamp(3) without time zone`` column holding UTC, like Prisma's ``DateTime``.

    Prisma clients write naive UTC with millisecond precision and read it back as
    UTC. This field does the same: it writes naive UTC cut to the millisecond (as
    a JavaScript ``Date`` would) and reads back aware UTC datetimes.
    """

    def db_type(self, connection) -> str:
        return "timestamp(3) without time zone"

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = value.astimezone(datetime.UTC).replace(tzinfo=None)
            value = value.replace(microsecond=value.microsecond // 1000 * 1000)
        return value

    def from_db_value(self, value, expression, connection):
        if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_naive(value):
            return value.replace(tzinfo=datetime.UTC)
        return value


class EnumField(models.TextField):
    """A column of a PostgreSQL enum type whose labels are a ``DatabaseEnum``'s values.

    ``EnumField(MissionStatus)`` stores ``"MissionStatus"`` values; the database
    refuses any other label. The type itself is created and altered by the enum
    migration operations, which the autodetector writes.
    """

    def __init__(self, enum=None, *, enum_type: str | None = None, **kwargs):
        if enum is not None:
            enum_type = enum.__name__
            kwargs.setdefault("choices", enum.choices)
        if not enum_type:
            raise TypeError("EnumField needs a DatabaseEnum or an enum_type name")
        self.enum_type = enum_type
        super().__init__(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["enum_type"] = self.enum_type
        return name, path, args, kwargs

    def db_type(self, connection) -> str:
        return connection.ops.quote_name(self.enum_type)

    def get_internal_type(self) -> str:
        # Not "TextField": text lookups (icontains, startswith) then cast the
        # enum to text, and ALTER COLUMN keeps the enum type.
        return "EnumField"


#: The SQL action that matches each of Django's Python-side on_delete handlers.
SQL_ACTIONS = {
    models.CASCADE: "CASCADE",
    models.SET_NULL: "SET NULL",
    models.SET_DEFAULT: "SET DEFAULT",
    models.PROTECT: "RESTRICT",
    models.RESTRICT: "RESTRICT",
    models.DO_NOTHING: "NO ACTION",
}
VALID_SQL_ACTIONS = frozenset(SQL_ACTIONS.values())


class DatabaseActionsMixin:
    """Gives a relation the ON DELETE / ON UPDATE actions that Prisma declares.

    Django keeps ``on_delete`` in Python and creates DEFERRABLE constraints with
    no action. Prisma clients rely on the database itself: ``db_on_delete`` (by
    default the SQL twin of ``on_delete``) and ``db_on_update`` (Prisma's default,
    CASCADE) are written into the constraint, which is not deferrable. The column
    is not indexed unless a model's ``Meta.indexes`` says so, as in Prisma.
    """

    def __init__(self, to, on_delete, *, db_on_delete=None, db_on_update="CASCADE", **kwargs):
        kwargs.setdefault("db_index", False)
        db_on_delete = db_on_delete or SQL_ACTIONS.get(on_delete)
        for action in (db_on_delete, db_on_update):
            if action not in VALID_SQL_ACTIONS:
                raise ValueError(f"unknown SQL referential action {action!r}")
        self.db_on_delete = db_on_delete
        self.db_on_update = db_on_update
        super().__init__(to, on_delete, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["db_on_delete"] = self.db_on_delete
        kwargs["db_on_update"] = self.db_on_update
        return name, path, args, kwargs


class ForeignKey(DatabaseActionsMixin, models.ForeignKey):
    """``models.ForeignKey`` with database-side actions; see ``DatabaseActionsMixin``."""


class OneToOneField(DatabaseActionsMixin, models.OneToOneField):
    """``models.OneToOneField`` with database-side actions; see ``DatabaseActionsMixin``."""
