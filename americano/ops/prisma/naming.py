"""The names a Prisma schema gives the Django models, fields, relations and enum values.

The web app and the ML service call Prisma Client by these names, so they follow
what Prisma's own schema called things, as far as the models know it:

* a model is named by its ``prisma_model`` attribute (``CuidModel``), else by its
  class: the Prisma names the application code uses;
* a scalar field is named by its column: Prisma created each column under its
  field's name, so the column *is* the name the clients use (``userId``, and
  ``total_scenarios_completed`` where that is what Prisma had). Only a column that
  is no Prisma identifier gets another name and ``@map``;
* a relation field has no column: it is the camelCase of the Django field name
  (``learning_objective`` → ``learningObjective``), and the back side the camelCase
  of the ``related_name`` (``study_goals`` → ``studyGoals``).
"""

import re

from django.db import models

from americano.core.errors import InputError

#: What Prisma accepts as the name of a model, field or enum value.
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class PrismaNameError(InputError):
    """A model cannot be named in Prisma: two of its fields would get one name."""


def camel_case(name: str) -> str:
    """``learning_objective`` → ``learningObjective``; a name without ``_`` is kept."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def identifier(name: str) -> str:
    """``name`` made a Prisma identifier: camelCase, other characters dropped, a leading
    letter ensured (``2nd-try`` → ``f2ndTry``)."""
    words = [word for word in re.split(r"[^A-Za-z0-9]+", name) if word]
    joined = camel_case("_".join(words)) if words else "field"
    return joined if joined[0].isalpha() else f"f{joined}"


def model_name(model: type[models.Model]) -> str:
    """The Prisma model name of ``model``: its ``prisma_model`` attribute, else its class."""
    return getattr(model, "prisma_model", None) or model.__name__


def scalar_name(field: models.Field) -> tuple[str, str | None]:
    """``(Prisma field name, column to @map or None)`` of a field that has a column."""
    if IDENTIFIER.match(field.column):
        return field.column, None
    return identifier(field.name), field.column


def relation_name(field: models.Field) -> str:
    """The Prisma name of the relation field that stands for foreign key ``field``."""
    return camel_case(field.name)


def back_relation_name(field: models.Field) -> str:
    """The Prisma name of the back side of foreign key ``field``, on the referenced model."""
    return camel_case(field.remote_field.get_accessor_name())


def enum_value_name(label: str) -> tuple[str, str | None]:
    """``(Prisma enum value, label to @map or None)`` of a PostgreSQL enum label."""
    if IDENTIFIER.match(label):
        return label, None
    return identifier(label), label


def unique_names(model: type[models.Model], names: list[str]) -> None:
    """Refuse a model whose Prisma fields would share a name (a relation named like a column)."""
    seen = set()
    for name in names:
        if name in seen:
            raise PrismaNameError(
                f"{model._meta.label}: two Prisma fields would be named {name!r}; rename the"
                " Django field or its related_name"
            )
        seen.add(name)
