"""A database's schema read from ``pg_catalog``, and the differences between two.

The catalog holds what the migration history is responsible for: extensions,
enum types and their labels, tables and their column order, columns (type,
nullability, default, identity, generated expression), primary keys, indexes
(unique or not, method, columns with opclass and order, predicate, validity),
foreign keys with their actions, and check constraints, in every schema but
the system ones. Objects that belong to an extension, the bookkeeping tables
that recorders create on demand, and Prisma's record of its migrations
(``_prisma_migrations``, kept after adoption for the Prisma clients), are left out.

Definitions come from PostgreSQL itself (``format_type``, ``pg_get_expr``,
``pg_get_indexdef``, ``pg_get_constraintdef``), so two databases built the same
way read the same, and a difference is reported in PostgreSQL's own words.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from americano.ops.ledger import BOOKKEEPING_TABLES

#: The kinds of object compared, in the order differences are listed.
KINDS = (
    "extension",
    "enum",
    "table",
    "column",
    "primary key",
    "index",
    "foreign key",
    "check",
)
#: Kinds whose objects are matched by definition when only their names differ.
NAMED_KINDS = frozenset({"index", "foreign key", "check"})

#: Prisma Migrate's record of the migrations it applied: no Django migration builds it.
PRISMA_MIGRATIONS_TABLE = "_prisma_migrations"
#: Tables no migration history is responsible for.
UNCOMPARED_TABLES = BOOKKEEPING_TABLES | {PRISMA_MIGRATIONS_TABLE}

#: A condition on ``pg_namespace n``: the schema is not PostgreSQL's own.
USER_SCHEMA = "n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"


def not_extension_member(catalog: str, oid: str) -> str:
    """A condition: the object ``oid`` of system catalog ``catalog`` (e.g. ``pg_class``)
    does not belong to an extension (pgvector's types and functions, say)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{catalog}'::regclass"
        f" AND d.objid = {oid} AND d.deptype = 'e')"
    )


def column_names(attnums: str, relation: str) -> str:
    """An SQL array of the names of columns ``attnums`` (an int2 array expression, e.g. an
    index's ``indkey``) of table ``relation`` (an oid expression), in their order."""
    return (
        f"array(SELECT a.attname FROM unnest({attnums}) WITH ORDINALITY k(attnum, ord)"
        f" JOIN pg_attribute a ON a.attrelid = {relation} AND a.attnum = k.attnum"
        " ORDER BY k.ord)"
    )


_EXTENSIONS = """
SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
"""
_ENUMS = f"""
SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE {USER_SCHEMA} AND {not_extension_member("pg_type", "t.oid")}
GROUP BY n.nspname, t.typname
"""
_TABLES = f"""
SELECT c.oid, n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND {USER_SCHEMA}
  AND {not_extension_member("pg_class", "c.oid")}
"""
_COLUMNS = """
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
       a.attidentity,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END
FROM pg_attribute a
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""
_INDEXES = f"""
SELECT i.indrelid, ic.relname, i.indisprimary, i.indisunique, i.indisvalid, am.amname,
       pg_get_indexdef(i.indexrelid),
       {column_names("i.indkey", "i.indrelid")},
       con.contype
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('u', 'x', 'p')
WHERE i.indrelid = ANY(%s)
"""
_CONSTRAINTS = """
SELECT con.conrelid, con.conname, con.contype, pg_get_constraintdef(con.oid)
FROM pg_constraint con
WHERE con.conrelid = ANY(%s) AND con.contype IN ('f', 'c')
"""
_IDENTITY = {"": None, "a": "ALWAYS", "d": "BY DEFAULT"}
_CONSTRAINT_KIND = {None: None, "u": "unique constraint", "x": "exclusion constraint"}


@dataclass(frozen=True)
class CatalogObject:
    kind: str
    name: str
    #: The table the object belongs to (None for extensions, enums and tables).
    table: str | None
    properties: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Catalog:
    objects: dict[tuple[str, str], CatalogObject]
    #: Column names of each table, in their physical order.
    column_order: dict[str, tuple[str, ...]]


def _qualified(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def read_catalog(cursor) -> Catalog:
    """The catalog of the database ``cursor`` is connected to."""
    objects: list[CatalogObject] = []
    cursor.execute(_EXTENSIONS)
    for name, schema in cursor.fetchall():
        objects.append(CatalogObject("extension", name, None, (("schema", schema),)))
    cursor.execute(_ENUMS)
    for schema, name, labels in cursor.fetchall():
        properties = (("labels", tuple(labels)),)
        objects.append(CatalogObject("enum", _qualified(schema, name), None, properties))
    cursor.execute(_TABLES)
    tables = {
        oid: _qualified(schema, name)
        for oid, schema, name in cursor.fetchall()
        if name not in UNCOMPARED_TABLES
    }
    objects += [CatalogObject("table", name, None, ()) for name in tables.values()]
    oids = list(tables)
    column_order: dict[str, list[str]] = {name: [] for name in tables.values()}
    cursor.execute(_COLUMNS, [oids])
    for oid, column, type_, not_null, default, identity, generated in cursor.fetchall():
        table = tables[oid]
        column_order[table].append(column)
        properties = (
            ("type", type_),
            ("nullable", not not_null),
            ("default", default),
            ("identity", _IDENTITY[identity]),
            ("generated", generated),
        )
        objects.append(CatalogObject("column", f"{table}.{column}", table, properties))
    cursor.execute(_INDEXES, [oids])
    for oid, name, primary, unique, valid, method, definition, columns, con in cursor.fetchall():
        table = tables[oid]
        if primary:
            properties = (("name", name), ("columns", tuple(columns)))
            objects.append(CatalogObject("primary key", table, table, properties))
            continue
        properties = (
            ("unique", unique),
            ("definition", definition[definition.index(f" USING {method} ") + 1 :]),
            ("valid", valid),
            ("constraint", _CONSTRAINT_KIND[con]),
        )
        objects.append(CatalogObject("index", f"{table}.{name}", table, properties))
    cursor.execute(_CONSTRAINTS, [oids])
    for oid, name, contype, definition in cursor.fetchall():
        kind = "foreign key" if contype == "f" else "check"
        table = tables[oid]
        objects.append(CatalogObject(kind, f"{table}.{name}", table, (("definition", definition),)))
    return Catalog(
        {(obj.kind, obj.name): obj for obj in objects},
        {table: tuple(columns) for table, columns in column_order.items()},
    )


@dataclass(frozen=True)
class Difference:
    """One way the database differs from what the migration history builds."""

    kind: str
    object: str
    #: ``missing`` (the history builds it, the database lacks it), ``extra``
    #: (only in the database), ``changed``, ``renamed`` or ``unmigrated``.
    change: str
    attribute: str | None = None
    history: object = None
    database: object = None

    @property
    def line(self) -> str:
        """The difference as one line of text."""
        subject = f"{self.kind} {self.object}"
        if self.change == "missing":
            return f"{subject}: built by the history, missing from the database"
        if self.change == "extra":
            return f"{subject}: in the database, not built by the history"
        if self.change == "renamed":
            return f"{subject}: named {self.database} in the database"
        if self.change == "unmigrated":
            return f"{subject}: model change with no migration: {self.database}"
        return (
            f"{subject}: {self.attribute} is {_show(self.database)} in the database,"
            f" {_show(self.history)} in the history"
        )

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "object": self.object,
            "change": self.change,
            "attribute": self.attribute,
            "history": self.history,
            "database": self.database,
            "line": self.line,
        }


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(map(str, value)) + ")"
    return str(value)


def _sort_key(key: tuple[str, str]) -> tuple[int, str]:
    return KINDS.index(key[0]), key[1]


def diff_catalogs(history: Catalog, database: Catalog) -> list[Difference]:
    """Every difference of ``database`` from ``history``, one per line.

    An object of a table that is missing or extra is not listed again; an
    index or constraint that differs only by its name is one ``renamed`` line.
    """
    missing = {key: history.objects[key] for key in history.objects.keys() - database.objects}
    extra = {key: database.objects[key] for key in database.objects.keys() - history.objects}
    unshared = {obj.name for obj in [*missing.values(), *extra.values()] if obj.kind == "table"}
    differences = []
    for old, new in _renames(missing.values(), extra.values()):
        del missing[(old.kind, old.name)], extra[(new.kind, new.name)]
        differences.append(Difference(old.kind, old.name, "renamed", "name", old.name, new.name))
    for change, objects in (("missing", missing), ("extra", extra)):
        differences += [
            Difference(obj.kind, obj.name, change)
            for obj in objects.values()
            if obj.table not in unshared
        ]
    for key in history.objects.keys() & database.objects.keys():
        before = dict(history.objects[key].properties)
        after = dict(database.objects[key].properties)
        differences += [
            Difference(*key, "changed", name, before[name], after[name])
            for name in before
            if before[name] != after.get(name)
        ]
    for table, columns in history.column_order.items():
        shared = set(columns) & set(database.column_order.get(table, ()))
        expected = [c for c in columns if c in shared]
        actual = [c for c in database.column_order.get(table, ()) if c in shared]
        if expected != actual:
            order = (tuple(expected), tuple(actual))
            differences.append(Difference("table", table, "changed", "column order", *order))
    return sorted(differences, key=lambda d: (*_sort_key((d.kind, d.object)), d.attribute or ""))


def _renames(
    missing: Iterable[CatalogObject], extra: Iterable[CatalogObject]
) -> list[tuple[CatalogObject, CatalogObject]]:
    """Pairs of a missing and an extra object that are the same but for the name."""
    candidates = {}
    for obj in extra:
        if obj.kind in NAMED_KINDS:
            candidates.setdefault((obj.kind, obj.table, obj.properties), []).append(obj)
    pairs = []
    for obj in sorted(missing, key=lambda o: o.name):
        matches = candidates.get((obj.kind, obj.table, obj.properties))
        if obj.kind in NAMED_KINDS and matches:
            pairs.append((obj, matches.pop(0)))
    return pairs
