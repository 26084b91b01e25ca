"""The SQL of the fixes: names as PostgreSQL reads them, and the statements that add an index or a
constraint without blocking writes."""

from americano.db.names import MAX_IDENTIFIER_LENGTH
from americano.ops.catalog import CatalogObject

#: Prisma's name suffixes (``americano.db.names``).
SUFFIXES = ("idx", "key", "fkey", "pkey")


def quote(name: str) -> str:
    """``name`` as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def qualified(name: str) -> str:
    """A catalog name (``table`` in schema public, else ``schema.table``) as SQL."""
    schema, dot, rest = name.partition(".")
    return f"{quote(schema)}.{quote(rest)}" if dot else quote(name)


def in_schema_of(table: str, name: str) -> str:
    """Object ``name`` (an index) in the schema of ``table``, as SQL."""
    schema, dot, _ = table.partition(".")
    return f"{quote(schema)}.{quote(name)}" if dot else quote(name)


def own_name(obj: CatalogObject) -> str:
    """The name of an index or constraint without its table's."""
    return obj.name[len(obj.table) + 1 :]


def temporary_name(name: str) -> str:
    """A name for the replacement of index ``name`` while both exist (at most 63 bytes)."""
    suffix = "_adopt"
    stem = name.encode()[: MAX_IDENTIFIER_LENGTH - len(suffix)].decode(errors="ignore")
    return stem + suffix


def cut_by_postgres(history_name: str, database_name: str) -> bool:
    """Whether ``database_name`` is a long name PostgreSQL cut at 63 bytes where Prisma's rule
    (``americano.db.names``) cut the stem to keep the suffix: a raw-SQL ``CREATE INDEX`` with
    the full name, say."""
    stem, _, suffix = history_name.rpartition("_")
    return (
        suffix in SUFFIXES
        and len(database_name.encode()) == MAX_IDENTIFIER_LENGTH
        and database_name.startswith(stem)
        and database_name != history_name
    )


def cut_note(history_name: str, database_name: str) -> str | None:
    """What to know about a name PostgreSQL cut (None for any other name)."""
    if not cut_by_postgres(history_name, database_name):
        return None
    return (
        f"PostgreSQL cut a longer name to {MAX_IDENTIFIER_LENGTH} bytes ({database_name}); "
        f"Prisma's rule cuts the stem and keeps the suffix ({history_name})"
    )


def create_index(index: CatalogObject, name: str) -> str:
    """``CREATE INDEX CONCURRENTLY`` of ``index`` under ``name``: writes go on meanwhile."""
    properties = dict(index.properties)
    unique = "UNIQUE " if properties["unique"] else ""
    return (
        f"CREATE {unique}INDEX CONCURRENTLY {quote(name)} ON {qualified(index.table)} "
        f"{properties['definition']}"
    )


def add_constraint(constraint: CatalogObject) -> tuple[str, ...]:
    """The ``ADD CONSTRAINT ... NOT VALID`` clause, and the statement that validates it: no
    write is blocked while the rows are checked. (A definition that is itself NOT VALID is
    added as it is, and not validated.)"""
    definition = dict(constraint.properties)["definition"]
    name = quote(own_name(constraint))
    if definition.endswith(" NOT VALID"):
        return (f"ADD CONSTRAINT {name} {definition}",)
    return (
        f"ADD CONSTRAINT {name} {definition} NOT VALID",
        f"ALTER TABLE {qualified(constraint.table)} VALIDATE CONSTRAINT {name}",
    )
