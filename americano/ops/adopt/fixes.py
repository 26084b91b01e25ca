"""For each difference: its group, the SQL that mends it where that is safe and mechanical, and
else what needs a person.

Safe means: no data is rewritten or lost, and the locks are the short ones: an
index is built ``CONCURRENTLY`` (and replaced by building the new one under a
temporary name first); a foreign key or check is added ``NOT VALID`` and then
validated (which blocks no writes); ``SET NOT NULL`` is preceded by a validated
check so that it does not scan under its lock. What changes data or needs a
decision (a type change over data, a missing or extra table or column, a label
some rows may hold) gets no SQL, only a line saying what a person must decide.
"""

from dataclasses import dataclass

from americano.ops.adopt.sql import (
    add_constraint,
    create_index,
    cut_note,
    in_schema_of,
    literal,
    own_name,
    qualified,
    quote,
    temporary_name,
)
from americano.ops.catalog import Catalog, CatalogObject, Difference

MISSING = "missing"
EXTRA = "extra"
DIFFERENT = "different"
NAMED_OTHERWISE = "named_otherwise"
#: The groups of a report, in order.
GROUPS = (MISSING, EXTRA, DIFFERENT, NAMED_OTHERWISE)
_GROUP_OF_CHANGE = {
    "missing": MISSING,
    "extra": EXTRA,
    "changed": DIFFERENT,
    "renamed": NAMED_OTHERWISE,
}

# The order of the fix script: types before the columns that use them, columns before
# their indexes, unique indexes before the foreign keys that reference them.
PHASE_TYPES, PHASE_NAMES, PHASE_COLUMNS, PHASE_DROPS, PHASE_INDEXES, PHASE_KEYS = range(6)


@dataclass(frozen=True)
class Finding:
    """One difference, and what to do about it."""

    difference: Difference
    group: str
    #: Statements that bring the database to the history (empty: none are safe).
    sql: tuple[str, ...] = ()
    #: What needs a person, one line (None: the SQL is the whole fix).
    person: str | None = None
    #: A fact worth knowing (a name PostgreSQL cut, what may make the SQL fail).
    note: str | None = None
    #: Where the SQL goes in the fix script: its phase, then its position.
    order: tuple[int, int] = (PHASE_TYPES, 0)

    @property
    def mechanical(self) -> bool:
        """Whether the SQL alone mends it."""
        return bool(self.sql) and self.person is None

    def as_dict(self) -> dict:
        return {
            **self.difference.as_dict(),
            "group": self.group,
            "sql": list(self.sql),
            "needs_person": self.person,
            "note": self.note,
        }


PERSON_DEFAULT = "no safe mechanical fix: a person must decide how to bring it to the history"
#: Differences for which no SQL is safe, and what a person must decide.
FOR_A_PERSON = {
    ("extension", "extra"): "an extension the history does not create: drop it if nothing "
    "uses it (DROP EXTENSION drops what depends on it), or create it in a migration",
    ("table", "missing"): "a missing table: find out why it is missing (a migration never run, "
    "a table dropped by hand) and who needs it; its DDL is in the history (sqlmigrate)",
    ("table", "extra"): "a table the history does not build: keep its data elsewhere and drop "
    "it, or give it a model and a migration",
    ("table", "changed"): "the columns are in another order: only rebuilding the table "
    "reorders them",
    ("column", "extra"): "a column the history does not build, with whatever data it holds: "
    "drop it once nothing needs the data, or give the model a field and a migration",
}


class Planner:
    """Turns the differences of ``database`` from ``history`` into findings."""

    def __init__(self, history: Catalog, database: Catalog):
        self.history = history
        self.database = database

    def finding(self, difference: Difference) -> Finding:
        """The finding of ``difference``: by its kind and change, ``_<kind>_<change>`` says
        what to do, else :data:`FOR_A_PERSON` or :data:`PERSON_DEFAULT`."""
        group = _GROUP_OF_CHANGE[difference.change]
        kind = difference.kind.replace(" ", "_")
        handler = getattr(self, f"_{kind}_{difference.change}", None)
        if handler is not None:
            return handler(difference, group)
        person = FOR_A_PERSON.get((difference.kind, difference.change), PERSON_DEFAULT)
        return Finding(difference, group, person=person)

    def _history_object(self, difference: Difference) -> CatalogObject:
        return self.history.objects[(difference.kind, difference.object)]

    def _database_object(self, difference: Difference) -> CatalogObject:
        return self.database.objects[(difference.kind, difference.object)]

    # --- extensions and enum types ------------------------------------------------------

    def _extension_missing(self, difference, group):
        schema = dict(self._history_object(difference).properties)["schema"]
        sql = (
            f"CREATE EXTENSION IF NOT EXISTS {quote(difference.object)} WITH SCHEMA {quote(schema)}"
        )
        return Finding(difference, group, (sql,), order=(PHASE_TYPES, 0))

    def _enum_missing(self, difference, group):
        labels = dict(self._history_object(difference).properties)["labels"]
        values = ", ".join(map(literal, labels))
        sql = f"CREATE TYPE {qualified(difference.object)} AS ENUM ({values})"
        return Finding(difference, group, (sql,), order=(PHASE_TYPES, 1))

    def _enum_extra(self, difference, group):
        sql = f"DROP TYPE {qualified(difference.object)}"
        return Finding(
            difference,
            group,
            (sql,),
            note="DROP TYPE fails (and changes nothing) while a column uses the type",
            order=(PHASE_KEYS, 1),
        )

    def _enum_changed(self, difference, group):
        wanted, present = list(difference.history), list(difference.database)
        extra = [label for label in present if label not in wanted]
        kept = [label for label in present if label in wanted]
        if kept != [label for label in wanted if label in present]:
            return Finding(
                difference,
                group,
                person="the labels are in another order: only rebuilding the type reorders "
                "them (PostgreSQL cannot move a label)",
            )
        sql = []
        for position, label in enumerate(wanted):
            if label in present:
                continue
            if position:
                place = f"AFTER {literal(wanted[position - 1])}"
            else:
                place = f"BEFORE {literal(next(x for x in wanted if x in present))}"
            sql.append(
                f"ALTER TYPE {qualified(difference.object)} ADD VALUE {literal(label)} {place}"
            )
        person = None
        if extra:
            person = (
                f"label {', '.join(extra)} is not in the history: add it to the DatabaseEnum "
                "(makemigrations writes AddEnumValue), or, if no row holds it, remove it by "
                "rebuilding the type"
            )
        return Finding(difference, group, tuple(sql), person, order=(PHASE_TYPES, 2))

    # --- tables and columns ---------------------------------------------------------------

    def _column_missing(self, difference, group):
        column = self._history_object(difference)
        table, name = column.table, own_name(column)
        properties = dict(column.properties)
        order = self.history.column_order[table]
        position = order.index(name)
        present = self.database.column_order.get(table, ())
        later = [c for c in order[position + 1 :] if c in present]
        if later:
            return Finding(
                difference,
                group,
                person=f"ADD COLUMN would put {name} last, and the history has it before "
                f"{later[0]}: only rebuilding the table gives the history's column order",
            )
        if properties["identity"] or properties["generated"]:
            return Finding(difference, group, person=PERSON_DEFAULT)
        if not properties["nullable"] and properties["default"] is None:
            return Finding(
                difference,
                group,
                person="a NOT NULL column without a default: the rows already there need a "
                "value, which only a person can choose",
            )
        sql = f"ALTER TABLE {qualified(table)} ADD COLUMN {quote(name)} {properties['type']}"
        if properties["default"] is not None:
            sql += f" DEFAULT {properties['default']}"
        if not properties["nullable"]:
            sql += " NOT NULL"
        return Finding(difference, group, (sql,), order=(PHASE_COLUMNS, position))

    def _column_changed(self, difference, group):
        column = self._history_object(difference)
        target = f"ALTER TABLE {qualified(column.table)}"
        name = quote(own_name(column))
        if difference.attribute == "default":
            default = difference.history
            sql = (
                f"{target} ALTER COLUMN {name} DROP DEFAULT"
                if default is None
                else f"{target} ALTER COLUMN {name} SET DEFAULT {default}"
            )
            return Finding(difference, group, (sql,), order=(PHASE_COLUMNS, 0))
        if difference.attribute == "nullable":
            if difference.history:
                sql = (f"{target} ALTER COLUMN {name} DROP NOT NULL",)
            else:
                check = quote(temporary_name(f"{own_name(column)}_not_null"))
                sql = (
                    f"{target} ADD CONSTRAINT {check} CHECK ({name} IS NOT NULL) NOT VALID",
                    f"{target} VALIDATE CONSTRAINT {check}",
                    f"{target} ALTER COLUMN {name} SET NOT NULL",
                    f"{target} DROP CONSTRAINT {check}",
                )
            note = None if difference.history else "VALIDATE fails while a row holds NULL"
            return Finding(difference, group, sql, note=note, order=(PHASE_COLUMNS, 1))
        if difference.attribute == "type":
            return Finding(difference, group, person=_type_change(difference))
        return Finding(difference, group, person=PERSON_DEFAULT)

    # --- keys and indexes -------------------------------------------------------------------

    def _primary_key_missing(self, difference, group):
        key = dict(self._history_object(difference).properties)
        table = difference.object
        name = key["name"]
        columns = ", ".join(map(quote, key["columns"]))
        sql = (
            f"CREATE UNIQUE INDEX CONCURRENTLY {in_schema_of(table, name)} "
            f"ON {qualified(table)} ({columns})",
            f"ALTER TABLE {qualified(table)} ADD CONSTRAINT {quote(name)} PRIMARY KEY USING INDEX "
            f"{quote(name)}",
        )
        note = "fails while two rows share a key or a key column holds NULL"
        return Finding(difference, group, sql, note=note, order=(PHASE_INDEXES, 0))

    def _primary_key_changed(self, difference, group):
        if difference.attribute != "name":
            return Finding(
                difference,
                group,
                person="another primary key: rows are identified differently; the clients and "
                "the foreign keys that reference it must be considered first",
            )
        sql = (
            f"ALTER TABLE {qualified(difference.object)} RENAME CONSTRAINT "
            f"{quote(difference.database)} TO {quote(difference.history)}"
        )
        return Finding(
            difference,
            NAMED_OTHERWISE,
            (sql,),
            note=cut_note(difference.history, difference.database),
            order=(PHASE_NAMES, 0),
        )

    def _index_missing(self, difference, group):
        index = self._history_object(difference)
        properties = dict(index.properties)
        if properties["constraint"]:
            return Finding(difference, group, person=PERSON_DEFAULT)
        sql = create_index(index, own_name(index))
        note = (
            "fails while two rows share a key; a failed build leaves an INVALID index: drop it, "
            "remove the duplicates, run it again"
            if properties["unique"]
            else None
        )
        return Finding(difference, group, (sql,), note=note, order=(PHASE_INDEXES, 1))

    def _index_extra(self, difference, group):
        index = self._database_object(difference)
        if dict(index.properties)["constraint"]:
            return Finding(difference, group, person=PERSON_DEFAULT)
        sql = f"DROP INDEX CONCURRENTLY {in_schema_of(index.table, own_name(index))}"
        note = "a query may rely on it: to keep it, declare it in the models and make a migration"
        return Finding(difference, group, (sql,), note=note, order=(PHASE_INDEXES, 0))

    def _index_changed(self, difference, group):
        index = self._history_object(difference)
        if difference.attribute == "constraint":
            return Finding(difference, group, person=PERSON_DEFAULT)
        name = own_name(index)
        temporary = temporary_name(name)
        sql = (
            create_index(index, temporary),
            f"DROP INDEX CONCURRENTLY {in_schema_of(index.table, name)}",
            f"ALTER INDEX {in_schema_of(index.table, temporary)} RENAME TO {quote(name)}",
        )
        note = (
            "built beside the old one under a temporary name, so that the table is never without it"
        )
        return Finding(difference, group, sql, note=note, order=(PHASE_INDEXES, 2))

    def _index_renamed(self, difference, group):
        index = self._history_object(difference)
        old = difference.database[len(index.table) + 1 :]
        sql = f"ALTER INDEX {in_schema_of(index.table, old)} RENAME TO {quote(own_name(index))}"
        note = cut_note(own_name(index), old)
        return Finding(difference, group, (sql,), note=note, order=(PHASE_NAMES, 1))

    # --- foreign keys and checks ---------------------------------------------------------

    def _constraint_missing(self, difference, group):
        constraint = self._history_object(difference)
        add, *validate = add_constraint(constraint)
        sql = (f"ALTER TABLE {qualified(constraint.table)} {add}", *validate)
        note = "VALIDATE fails while a row breaks it"
        return Finding(difference, group, sql, note=note, order=(PHASE_KEYS, 0))

    def _constraint_extra(self, difference, group):
        constraint = self._database_object(difference)
        sql = (
            f"ALTER TABLE {qualified(constraint.table)} DROP CONSTRAINT "
            f"{quote(own_name(constraint))}"
        )
        return Finding(difference, group, (sql,), order=(PHASE_DROPS, 0))

    def _constraint_changed(self, difference, group):
        constraint = self._history_object(difference)
        add, *validate = add_constraint(constraint)
        sql = (
            f"ALTER TABLE {qualified(constraint.table)} DROP CONSTRAINT "
            f"{quote(own_name(constraint))}, {add}",
            *validate,
        )
        note = "replaced in one statement, then validated without blocking writes"
        return Finding(difference, group, sql, note=note, order=(PHASE_KEYS, 0))

    def _constraint_renamed(self, difference, group):
        constraint = self._history_object(difference)
        old = difference.database[len(constraint.table) + 1 :]
        sql = (
            f"ALTER TABLE {qualified(constraint.table)} RENAME CONSTRAINT {quote(old)} TO "
            f"{quote(own_name(constraint))}"
        )
        note = cut_note(own_name(constraint), old)
        return Finding(difference, group, (sql,), note=note, order=(PHASE_NAMES, 2))

    _foreign_key_missing = _check_missing = _constraint_missing
    _foreign_key_extra = _check_extra = _constraint_extra
    _foreign_key_changed = _check_changed = _constraint_changed
    _foreign_key_renamed = _check_renamed = _constraint_renamed


def _type_change(difference: Difference) -> str:
    if str(difference.history).startswith("vector(") and str(difference.database).startswith(
        "vector("
    ):
        return (
            f"embeddings of another size ({difference.database}, the history has "
            f"{difference.history}): they cannot be converted, only recomputed by the model "
            "that makes them"
        )
    return (
        "a type change over data: a person decides how the values convert (ALTER COLUMN ... "
        "TYPE ... USING ...) and when: it rewrites the table under an exclusive lock"
    )


def plan_findings(
    history: Catalog, database: Catalog, differences: list[Difference]
) -> list[Finding]:
    """A finding for each difference, in the differences' order."""
    planner = Planner(history, database)
    return [planner.finding(difference) for difference in differences]
