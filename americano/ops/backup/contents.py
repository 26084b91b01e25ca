"""What a database holds, read the way pg_dump sees it: for manifests, checks and refusals.

Only the objects of the database's own schemas count, never PostgreSQL's and
never an extension's (``americano.ops.catalog``'s filters). Each function takes
the Django connection of the database and reads it in a short session of its
own, so nothing here holds a session on a database that a restore replaces.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

from americano.ops.catalog import USER_SCHEMA, not_extension_member
from americano.ops.pgtools import ConnInfo

_TABLES_SQL = f"""
    SELECT n.nspname, c.relname, pg_relation_size(c.oid), c.oid::bigint
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND {USER_SCHEMA}
      AND {not_extension_member("pg_class", "c.oid")}
    ORDER BY 1, 2
"""
#: Extensions' configuration tables: pg_dump dumps their rows too (those the user added).
_EXTENSION_TABLES_SQL = """
    SELECT n.nspname, c.relname, c.oid::bigint
    FROM pg_extension e CROSS JOIN LATERAL unnest(e.extconfig) AS config(oid)
    JOIN pg_class c ON c.oid = config.oid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r'
    ORDER BY 1, 2
"""
_RELATIONS_SQL = f"""
    SELECT n.nspname, c.relname, c.relkind::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {USER_SCHEMA}
      AND {not_extension_member("pg_class", "c.oid")}
    ORDER BY 1, 2
"""
_SCHEMAS_SQL = f"SELECT n.nspname FROM pg_namespace n WHERE {USER_SCHEMA} ORDER BY 1"
_TYPES_SQL = f"""
    SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE {USER_SCHEMA} AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c'
      AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
      AND {not_extension_member("pg_type", "t.oid")}
"""
_FUNCTIONS_SQL = f"""
    SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE {USER_SCHEMA} AND {not_extension_member("pg_proc", "p.oid")}
"""
_EXTENSIONS_SQL = f"""
    SELECT e.extname FROM pg_extension e
    JOIN pg_namespace n ON n.oid = e.extnamespace WHERE {USER_SCHEMA} ORDER BY 1
"""
_RELATION_KINDS = {
    "r": "table",
    "p": "table",
    "v": "view",
    "m": "materialized view",
    "S": "sequence",
    "f": "foreign table",
}


def session(connection: BaseDatabaseWrapper, autocommit: bool = True) -> psycopg.Connection:
    """A new psycopg session on ``connection``'s database (errors never show the password)."""
    return ConnInfo.from_django(connection).connect(autocommit=autocommit)


def qualified(schema: str, table: str) -> str:
    return f"{schema}.{table}"


def user_tables(db: psycopg.Connection) -> list[tuple[str, str, int, int]]:
    """``(schema, table, bytes, oid)`` of every user table: pg_dump dumps all their rows."""
    return db.execute(_TABLES_SQL).fetchall()


def extension_tables(db: psycopg.Connection) -> dict[str, int]:
    """``{schema.table: oid}`` of the extensions' configuration tables, whose rows pg_dump
    dumps too but which belong to their extension, not to the user."""
    return {
        qualified(schema, table): oid for schema, table, oid in db.execute(_EXTENSION_TABLES_SQL)
    }


def count_rows(db: psycopg.Connection, schema: str, table: str) -> int:
    query = sql.SQL("SELECT count(*) FROM ONLY {}.{}").format(
        sql.Identifier(schema), sql.Identifier(table)
    )
    return db.execute(query).fetchone()[0]


def read_applied(db: psycopg.Connection) -> dict[str, list[str]]:
    """``{app: [migration, ...]}`` in the order applied; empty without django_migrations."""
    if db.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY id, app, name"):
        applied.setdefault(app, []).append(name)
    return applied


def table_row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Exact row counts of every user table, keyed ``schema.table``."""
    with session(connection) as db:
        return {
            qualified(schema, table): count_rows(db, schema, table)
            for schema, table, _, _ in user_tables(db)
        }


def table_checksums(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """An md5 of each user table's content, independent of row order, keyed ``schema.table``."""
    result = {}
    with session(connection) as db:
        for schema, table, _, _ in user_tables(db):
            query = sql.SQL(
                "SELECT md5(coalesce(string_agg(h, '' ORDER BY h), '')) "
                "FROM (SELECT md5(t::text) AS h FROM ONLY {}.{} t) rows"
            ).format(sql.Identifier(schema), sql.Identifier(table))
            result[qualified(schema, table)] = db.execute(query).fetchone()[0]
    return result


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The migrations recorded in ``django_migrations`` of a database, by app."""
    with session(connection) as db:
        return read_applied(db)


@dataclass
class TargetContents:
    """What a database holds outside PostgreSQL's own schemas."""

    relations: list[str]
    kinds: dict[str, int]
    schemas: list[str]
    types: int
    functions: int
    extensions: list[str]

    @property
    def empty(self) -> bool:
        return not self.relations

    def summary(self) -> str:
        parts = [f"{count} {kind}{'s' if count != 1 else ''}" for kind, count in self.kinds.items()]
        return ", ".join(parts) or "no tables"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def inspect_target(connection: BaseDatabaseWrapper) -> TargetContents:
    """What a restore with ``force`` would drop from ``connection``'s database."""
    with session(connection) as db:
        relations, kinds = [], {}
        for schema, name, kind in db.execute(_RELATIONS_SQL):
            relations.append(qualified(schema, name))
            label = _RELATION_KINDS[kind]
            kinds[label] = kinds.get(label, 0) + 1
        schemas = [row[0] for row in db.execute(_SCHEMAS_SQL)]
        types = db.execute(_TYPES_SQL).fetchone()[0]
        functions = db.execute(_FUNCTIONS_SQL).fetchone()[0]
        extensions = [row[0] for row in db.execute(_EXTENSIONS_SQL)]
    return TargetContents(relations, kinds, schemas, types, functions, extensions)
