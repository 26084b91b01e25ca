"""``schema.prisma`` from the Django models, for the Prisma clients that share the database.

The web app and the ML service read and write the database through Prisma Client,
generated from a ``schema.prisma``. Django owns the schema, so the file is written
from the models of the schema apps (``settings.AMERICANO_SCHEMA_APPS``), found
through ``django.apps``, without a database: the same models that ``migrate``
builds the database from. See ``docs/prisma-export.md``.

Modules: ``naming`` (model, field, relation and enum value names), ``fields``
(types, native types, defaults), ``relations`` (both sides of each foreign key),
``indexes`` (``@@unique``, ``@@index``, comments for the rest), ``render`` (the
text, as ``prisma format`` lays it out), ``report`` (comparing with a file).
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from pgvector.django import VectorField

from americano.core.errors import InputError
from americano.db.enums import declared_enum_types
from americano.db.fields import EnumField
from americano.ops.prisma.fields import scalar_line
from americano.ops.prisma.indexes import block_attributes
from americano.ops.prisma.naming import enum_value_name, model_name, unique_names
from americano.ops.prisma.relations import Relation, collect_relations, relation_lines
from americano.ops.prisma.render import EnumBlock, ModelBlock, render


@dataclass(frozen=True)
class PrismaSchema:
    """The exported file's text, and how many models and enums it declares."""

    text: str
    models: int
    enums: int


def schema_models(app_labels: list[str]) -> list[tuple[str, list[type[models.Model]]]]:
    """``(app label, its tables' models sorted by Prisma name)`` for each app, in order.
    Abstract, proxy and unmanaged models have no table of their own that migrate builds."""
    groups = []
    for label in app_labels:
        found = [
            model
            for model in apps.get_app_config(label).get_models()
            if model._meta.managed and not model._meta.proxy
        ]
        groups.append((label, sorted(found, key=lambda m: (model_name(m).lower(), model_name(m)))))
    return groups


def build_model(model: type[models.Model], relations: list[Relation], connection) -> ModelBlock:
    fields = [scalar_line(field, connection) for field in model._meta.concrete_fields]
    fields += relation_lines(model, relations)
    unique_names(model, [field.name for field in fields])
    attributes, comments = block_attributes(model)
    return ModelBlock(model_name(model), model._meta.db_table, fields, attributes, comments)


def enum_blocks(exported: list[type[models.Model]], app_labels: list[str]) -> list[EnumBlock]:
    """The enum types the schema apps declare (``DatabaseEnum``), sorted by name. A field of
    a type no schema app declares is refused: the file could not say its labels."""
    labels = {
        name: values for name, (app, values) in declared_enum_types().items() if app in app_labels
    }
    for model in exported:
        for field in model._meta.concrete_fields:
            if isinstance(field, EnumField) and field.enum_type not in labels:
                raise InputError(
                    f"{model._meta.label}.{field.name}: enum type {field.enum_type} is not"
                    " declared by a schema app's DatabaseEnum"
                )
    return [
        EnumBlock(name, [enum_value_name(label) for label in labels[name]])
        for name in sorted(labels)
    ]


def export_schema(connection) -> PrismaSchema:
    """The ``schema.prisma`` of the schema apps' models. ``connection`` only names the
    column types (``field.db_type``): it is never opened."""
    labels = list(settings.AMERICANO_SCHEMA_APPS)
    groups = schema_models(labels)
    exported = [model for _, group in groups for model in group]
    relations = collect_relations(exported)
    blocks = [
        (label, [build_model(model, relations, connection) for model in group])
        for label, group in groups
    ]
    enums = enum_blocks(exported, labels)
    uses_vectors = any(
        isinstance(field, VectorField) for model in exported for field in model._meta.fields
    )
    text = render(blocks, enums, ["vector"] if uses_vectors else [])
    return PrismaSchema(text, len(exported), len(enums))
