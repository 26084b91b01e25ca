"""Prisma relation fields from the project's foreign keys, on both sides.

Every ``americano.db.fields.ForeignKey`` / ``OneToOneField`` becomes a relation
field on its model (``fields``, ``references`` and the database's ``ON DELETE`` and
``ON UPDATE`` actions) and a back-relation field on the model it refers to (a list,
or an optional single row for a one-to-one). Where two relations join the same two
models, Prisma needs them named; the name is ``<Model>_<column>To<Target>``, as
Prisma's own introspection names them. The foreign key's constraint name is the
one Prisma would give it (the project's schema editor uses Prisma's rule), so no
``map:`` is written.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import models

from americano.core.errors import InputError
from americano.ops.prisma.fields import FieldLine
from americano.ops.prisma.naming import back_relation_name, model_name, relation_name, scalar_name

#: SQL referential actions and Prisma's names for them.
ACTIONS = {
    "CASCADE": "Cascade",
    "SET NULL": "SetNull",
    "RESTRICT": "Restrict",
    "NO ACTION": "NoAction",
    "SET DEFAULT": "SetDefault",
}
#: Prisma's ``onUpdate`` when none is written.
DEFAULT_ON_UPDATE = "CASCADE"


class PrismaRelationError(InputError):
    """A foreign key the Prisma schema cannot hold: to a model outside it, or without the
    database actions of ``americano.db.fields``."""


@dataclass(frozen=True)
class Relation:
    """Foreign key ``field`` of ``field.model``, and the relation name Prisma needs, if any."""

    field: models.Field
    name: str | None

    @property
    def source(self) -> type[models.Model]:
        return self.field.model

    @property
    def target(self) -> type[models.Model]:
        return self.field.related_model

    def name_argument(self) -> list[str]:
        return [f'"{self.name}"'] if self.name else []


def collect_relations(exported: list[type[models.Model]]) -> list[Relation]:
    """The foreign keys of the ``exported`` models, named where a pair of models has several."""
    keys = [
        field for model in exported for field in model._meta.concrete_fields if field.is_relation
    ]
    for field in keys:
        if field.related_model not in exported:
            raise PrismaRelationError(
                f"{field.model._meta.label}.{field.name} refers to "
                f"{field.related_model._meta.label}, which is not in the schema apps"
            )
        if not hasattr(field, "db_on_delete"):
            raise PrismaRelationError(
                f"{field.model._meta.label}.{field.name} is a stock Django relation: use"
                " americano.db.fields.ForeignKey (check americano.E001)"
            )
    pairs = Counter(frozenset((f.model, f.related_model)) for f in keys)
    return [
        Relation(field, relation_label(field) if ambiguous(field, pairs) else None)
        for field in keys
    ]


def ambiguous(field: models.Field, pairs: Counter) -> bool:
    """Whether Prisma needs the relation named: another joins the same models, or it is a
    relation of a model to itself."""
    return (
        field.model is field.related_model
        or pairs[frozenset((field.model, field.related_model))] > 1
    )


def relation_label(field: models.Field) -> str:
    return f"{model_name(field.model)}_{field.column}To{model_name(field.related_model)}"


def forward_line(relation: Relation) -> FieldLine:
    """The relation field on the model that holds the foreign key."""
    field = relation.field
    on_delete = ACTIONS[field.db_on_delete]
    arguments = [
        *relation.name_argument(),
        f"fields: [{scalar_name(field)[0]}]",
        f"references: [{scalar_name(field.target_field)[0]}]",
        f"onDelete: {on_delete}",
    ]
    if field.db_on_update != DEFAULT_ON_UPDATE:
        arguments.append(f"onUpdate: {ACTIONS[field.db_on_update]}")
    comments = ()
    if on_delete == "SetNull" and not field.null:
        comments = (
            "ON DELETE SET NULL on a NOT NULL column, as in the database: deleting the"
            " referenced row fails while this one refers to it",
        )
    return FieldLine(
        relation_name(field),
        model_name(relation.target) + ("?" if field.null else ""),
        (f"@relation({', '.join(arguments)})",),
        comments,
    )


def back_line(relation: Relation) -> FieldLine:
    """The relation field on the referenced model: its rows that refer to it."""
    field = relation.field
    source = model_name(relation.source)
    type_text = f"{source}?" if field.unique else f"{source}[]"
    attributes = (f"@relation({relation.name_argument()[0]})",) if relation.name else ()
    return FieldLine(back_relation_name(field), type_text, attributes)


def relation_lines(model: type[models.Model], relations: list[Relation]) -> list[FieldLine]:
    """The relation fields of ``model``, both sides, sorted by name."""
    lines = [forward_line(r) for r in relations if r.source is model]
    lines += [back_line(r) for r in relations if r.target is model]
    return sorted(lines, key=lambda line: line.name)
