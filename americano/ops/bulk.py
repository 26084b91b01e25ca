"""Writing and removing many rows fast, for any models (the demo data set is one caller).

``write_rows`` sends unsaved model instances with ``COPY`` (faster than
``INSERT`` by a factor of several), parents first in the order the caller gives.
``delete_by_id_prefix`` removes the rows whose id starts with a prefix, children
first. ``seeded_id`` makes cuid-shaped ids from a seeded generator, so that a
generated data set is the same, ids included, for the same seed.
"""

import math
import random
import string
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import DatabaseDefault
from psycopg import sql

from americano.core.errors import InputError
from americano.ops.inspect import unindexed_foreign_keys

BASE36 = string.digits + string.ascii_lowercase
#: The length of a cuid, as Prisma's ``cuid()`` makes them.
CUID_LENGTH = 25

#: Names of the indexes made for a deletion (and dropped in its transaction) start with this.
HELPER_INDEX = "bulk_delete_"

Model = type[models.Model]
M = TypeVar("M", bound=models.Model)


def seeded_id(rng: random.Random, prefix: str) -> str:
    """A cuid-shaped id (``CUID_LENGTH`` characters) starting with ``prefix``, drawn from
    ``rng``: the same generator state gives the same id."""
    length = CUID_LENGTH - len(prefix)
    number, digits = rng.getrandbits(math.ceil(length * math.log2(36))), []
    for _ in range(length):
        number, digit = divmod(number, 36)
        digits.append(BASE36[digit])
    return prefix + "".join(digits)


@dataclass
class Rows:
    """Unsaved rows of each model, written together by :func:`write_rows`."""

    by_model: dict[Model, list[models.Model]] = field(default_factory=lambda: defaultdict(list))

    def add(self, obj: M) -> M:
        self.by_model[type(obj)].append(obj)
        return obj


def write_rows(connection: BaseDatabaseWrapper, rows: Rows, order: list[Model]) -> dict[str, int]:
    """COPY each model's rows in ``order`` (every model after those it refers to) and empty
    ``rows``; ``{model label: rows written}``."""
    unordered = [model.__name__ for model in rows.by_model if model not in order]
    if unordered:
        raise InputError(f"no write order for {', '.join(unordered)}")
    written = {}
    for model in order:
        objects = rows.by_model.pop(model, [])
        if objects:
            copy_rows(connection, model, objects)
            written[model._meta.label] = len(objects)
    return written


def copy_rows(connection: BaseDatabaseWrapper, model: Model, objects: list[models.Model]) -> None:
    """``COPY`` ``objects`` into the model's table, each value prepared as ``save()`` would.

    A column left to its database default (``DatabaseDefault``) in every row is
    left out, so that PostgreSQL fills it.
    """
    fields = [
        f
        for f in model._meta.concrete_fields
        if not all(isinstance(getattr(o, f.attname), DatabaseDefault) for o in objects)
    ]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(f.column) for f in fields),
    )
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(statement) as copy,
    ):
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


def delete_by_id_prefix(
    connection: BaseDatabaseWrapper, order: list[Model], prefix: str
) -> dict[str, int]:
    """Delete the rows of the models in ``order`` whose id starts with ``prefix``, the last
    model first (``order`` is the write order); ``{model label: rows deleted}``.

    Deleting a row makes PostgreSQL look up the rows that refer to it; where no
    index leads with the foreign key that is a scan per deleted row. Such
    indexes are created for the deletion and dropped after it, in the same
    transaction, so nobody else ever sees them. Every name is quoted by psycopg
    (``sql.Identifier``): a table in any schema, with any name, is indexed right.
    """
    deleted = {}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        helpers = []
        for number, key in enumerate(unindexed_foreign_keys(connection)):
            name = f"{HELPER_INDEX}{number}"
            cursor.execute(
                sql.SQL("CREATE INDEX {} ON {} ({})").format(
                    sql.Identifier(name),
                    sql.Identifier(key.schema, key.table),
                    sql.SQL(", ").join(sql.Identifier(c) for c in key.columns),
                )
            )
            helpers.append(sql.Identifier(key.schema, name))  # made in its table's schema
        for model in reversed(order):
            cursor.execute(
                sql.SQL("DELETE FROM {} WHERE id LIKE %s").format(
                    sql.Identifier(model._meta.db_table)
                ),
                [prefix + "%"],
            )
            if cursor.rowcount:
                deleted[model._meta.label] = cursor.rowcount
        for index in helpers:
            cursor.execute(sql.SQL("DROP INDEX {}").format(index))
    return deleted
