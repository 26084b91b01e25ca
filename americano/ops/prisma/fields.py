"""Prisma scalar fields from Django fields: type, native type, default, ``@updatedAt``.

The type is read from the column type Django creates (``field.db_type``), so a field
class the table below does not list is still described by what the database has.
Prisma's own default native type for each scalar type on PostgreSQL (``String``
is ``text``, ``DateTime`` is ``timestamp(3)``, ``Float`` is ``double precision``...)
gets no attribute; any other column type gets its ``@db.`` attribute, and a type
Prisma has no scalar for is ``Unsupported("...")``.
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.expressions import Value

from americano.db.fields import EnumField, new_cuid
from americano.db.functions import CurrentTimestamp
from americano.ops.prisma.naming import enum_value_name, scalar_name

#: Column types with a Prisma scalar: ``{SQL type: (Prisma type, native type attribute)}``.
#: An attribute is written only where Prisma's default for the scalar is another type.
SQL_TYPES = {
    "text": ("String", None),
    "integer": ("Int", None),
    "bigint": ("BigInt", None),
    "smallint": ("Int", "@db.SmallInt"),
    "double precision": ("Float", None),
    "boolean": ("Boolean", None),
    "jsonb": ("Json", None),
    "timestamp(3) without time zone": ("DateTime", None),
    "timestamp without time zone": ("DateTime", "@db.Timestamp"),
    "timestamp with time zone": ("DateTime", "@db.Timestamptz"),
    "date": ("DateTime", "@db.Date"),
    "time": ("DateTime", "@db.Time"),
    "uuid": ("String", "@db.Uuid"),
    "inet": ("String", "@db.Inet"),
    "bytea": ("Bytes", None),
}
#: Column types with a parameter: ``(pattern, Prisma type, attribute template)``.
PARAMETRIC_TYPES = (
    (re.compile(r"^varchar\((\d+)\)$"), "String", "@db.VarChar({0})"),
    (re.compile(r"^timestamp\((\d)\) without time zone$"), "DateTime", "@db.Timestamp({0})"),
    (re.compile(r"^timestamp\((\d)\) with time zone$"), "DateTime", "@db.Timestamptz({0})"),
    (re.compile(r"^numeric\((\d+), ?(\d+)\)$"), "Decimal", "@db.Decimal({0}, {1})"),
)


@dataclass(frozen=True)
class ScalarType:
    """A column's Prisma type: ``name`` (``Int``, an enum, ``Unsupported("vector(1536)")``),
    whether it is a list, and its native type attribute if Prisma's default differs."""

    name: str
    is_list: bool = False
    native: str | None = None
    #: The column type when Prisma has no scalar for it.
    unsupported: bool = False
    is_enum: bool = False


def sql_scalar(sql_type: str) -> ScalarType:
    """The Prisma type of a column of SQL type ``sql_type`` (not an enum, not a list)."""
    if sql_type in SQL_TYPES:
        name, native = SQL_TYPES[sql_type]
        return ScalarType(name, native=native)
    for pattern, name, template in PARAMETRIC_TYPES:
        match = pattern.match(sql_type)
        if match:
            return ScalarType(name, native=template.format(*match.groups()))
    return ScalarType(f'Unsupported("{sql_type}")', unsupported=True)


def scalar_type(field: models.Field, connection) -> ScalarType:
    """The Prisma type of ``field``'s column (a relation's: that of the column it refers to)."""
    if isinstance(field, EnumField):
        return ScalarType(field.enum_type, is_enum=True)
    if isinstance(field, ArrayField) and not isinstance(field.base_field, ArrayField):
        base = scalar_type(field.base_field, connection)
        if not base.unsupported:
            return ScalarType(base.name, True, base.native, is_enum=base.is_enum)
    if field.is_relation:
        return scalar_type(field.target_field, connection)
    return sql_scalar(field.db_type(connection))


def string_literal(text: str) -> str:
    """``text`` as a Prisma string literal (JSON's escaping is Prisma's)."""
    return json.dumps(text, ensure_ascii=False)


def literal(value: object, kind: ScalarType) -> str | None:
    """A Python value as a Prisma literal of type ``kind``; None if Prisma has none for it."""
    if kind.name == "Json":
        return string_literal(json.dumps(value))
    if isinstance(value, list | tuple):
        items = [literal(item, ScalarType(kind.name, is_enum=kind.is_enum)) for item in value]
        return None if None in items else "[" + ", ".join(items) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and kind.name in ("Int", "BigInt", "Float"):
        return repr(value)
    if isinstance(value, Decimal) and kind.name == "Decimal":
        return str(value)
    if isinstance(value, str) and kind.name == "String":
        return string_literal(value)
    if isinstance(value, str) and kind.is_enum:
        return enum_value_name(value)[0]
    return None


def default_attribute(field: models.Field, kind: ScalarType) -> tuple[str | None, str | None]:
    """``(@default(...) or None, comment or None)``: the default the column has.

    ``@default(cuid())`` for the ids generated in Python (``CuidModel``), ``now()`` for
    ``CURRENT_TIMESTAMP``, a literal for a constant. A Python-side ``default`` alone puts
    nothing in the database and is not written; a database default Prisma cannot say
    gets a comment instead.
    """
    if field.primary_key and field.default is new_cuid:
        return "@default(cuid())", None
    if field.db_default is models.NOT_PROVIDED:
        return None, None
    expression = field._db_default_expression
    if isinstance(expression, CurrentTimestamp):
        return "@default(now())", None
    written = literal(expression.value, kind) if isinstance(expression, Value) else None
    if written is None:
        return None, f"the database default {expression!r} cannot be written in Prisma"
    return f"@default({written})", None


@dataclass(frozen=True)
class FieldLine:
    """One field of a Prisma model: ``name type attributes``, with comment lines above."""

    name: str
    type: str
    attributes: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()


def scalar_line(field: models.Field, connection) -> FieldLine:
    """The Prisma field of the column of ``field``."""
    name, mapped = scalar_name(field)
    kind = scalar_type(field, connection)
    comments = []
    if kind.is_list:
        type_text = f"{kind.name}[]"
        if not field.null:
            comments.append("NOT NULL in the database: a Prisma list cannot say so")
    else:
        type_text = kind.name + ("?" if field.null else "")
    attributes = []
    if field.primary_key:
        attributes.append("@id")
    elif field.unique:
        # The project's schema editor names a field's unique index as Prisma does.
        attributes.append("@unique")
    default, why_not = default_attribute(field, kind)
    if default:
        attributes.append(default)
    if why_not:
        comments.append(why_not)
    if getattr(field, "auto_now", False):
        attributes.append("@updatedAt")
    if mapped:
        attributes.append(f"@map({string_literal(mapped)})")
    if kind.native:
        attributes.append(kind.native)
    return FieldLine(name, type_text, tuple(attributes), tuple(comments))
