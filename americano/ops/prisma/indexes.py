"""``@@unique`` and ``@@index`` from a model's constraints and indexes, and comments for
what Prisma cannot declare.

A name is written (``map:``) only where it differs from the one Prisma would give
(``americano.db.names.prisma_name``). Prisma declares B-tree indexes on columns,
in ascending or descending order, and unique indexes on columns; an index of
another method (pgvector's HNSW), on expressions, with operator classes or a
predicate, and check or exclusion constraints exist in the database but not in
the schema: each gets a comment saying so. Prisma Client needs none of them.
"""

from django.db import models

from americano.db.names import prisma_name
from americano.ops.prisma.naming import scalar_name


def _columns(model: type[models.Model], names: list[str] | tuple[str, ...]) -> list[tuple]:
    """``(column, Prisma field name, descending)`` of Django field names (``-date``)."""
    found = []
    for name in names:
        field = model._meta.get_field(name.removeprefix("-"))
        found.append((field.column, scalar_name(field)[0], name.startswith("-")))
    return found


def index_attribute(kind: str, table: str, columns: list[tuple], name: str) -> str:
    """``@@index([a, b(sort: Desc)], map: "...")`` (or ``@@unique``) on ``columns``
    (``(column, Prisma field name, descending)``), with the map only if ``name`` is not
    the name Prisma would give the index."""
    fields = ", ".join(f"{prisma}(sort: Desc)" if desc else prisma for _, prisma, desc in columns)
    suffix = "key" if kind == "@@unique" else "idx"
    default = prisma_name(table, [column for column, _, _ in columns], suffix)
    mapped = "" if name == default else f', map: "{name}"'
    return f"{kind}([{fields}]{mapped})"


def _inexpressible(index: models.Index) -> bool:
    plain = index.suffix == models.Index.suffix  # a B-tree (HnswIndex's suffix is "hnsw")
    return not plain or bool(
        index.expressions or index.condition or index.opclasses or index.include
    )


def describe_index(model: type[models.Model], index: models.Index) -> str:
    """``USING hnsw ("embedding" vector_cosine_ops)``: the index as a reader of SQL knows it."""
    method = "btree" if index.suffix == models.Index.suffix else index.suffix
    if index.expressions:
        parts = [repr(expression) for expression in index.expressions]
    else:
        parts = [
            f'"{column}"' + (" DESC" if desc else "")
            for column, _, desc in _columns(model, index.fields)
        ]
        if index.opclasses:
            parts = [f"{part} {op}" for part, op in zip(parts, index.opclasses, strict=True)]
    text = f"USING {method} ({', '.join(parts)})"
    if index.include:
        text += f" INCLUDE ({', '.join(index.include)})"
    if index.condition:
        text += f" WHERE {index.condition!r}"
    return text


def block_attributes(model: type[models.Model]) -> tuple[list[str], list[str]]:
    """``(@@unique and @@index attributes, comments)`` of ``model``, in declaration order:
    unique constraints, then indexed fields, then ``Meta.indexes``."""
    table = model._meta.db_table
    attributes, comments = [], []
    for constraint in model._meta.constraints:
        plain_unique = (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and not (constraint.condition or constraint.expressions or constraint.include)
            and not constraint.opclasses
            and constraint.nulls_distinct is None
        )
        if plain_unique:
            columns = _columns(model, constraint.fields)
            attributes.append(index_attribute("@@unique", table, columns, constraint.name))
        else:
            comments.append(
                f"{type(constraint).__name__} {constraint.name} is in the database;"
                " Prisma cannot declare it"
            )
    for field in model._meta.concrete_fields:
        if field.db_index and not (field.unique or field.primary_key):
            columns = _columns(model, [field.name])
            name = prisma_name(table, [field.column], "idx")
            attributes.append(index_attribute("@@index", table, columns, name))
    for index in model._meta.indexes:
        if _inexpressible(index):
            comments.append(
                f"index {index.name} {describe_index(model, index)} is in the database;"
                " Prisma cannot declare it"
            )
        else:
            columns = _columns(model, index.fields)
            attributes.append(index_attribute("@@index", table, columns, index.name))
    return attributes, comments
