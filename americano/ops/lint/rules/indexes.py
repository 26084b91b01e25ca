"""Rules on indexes and constraints: how they are built and validated."""

import re
from collections.abc import Iterator

from django.db.migrations import operations as ops

from americano.ops.lint.model import Hit, LintedMigration
from americano.ops.lint.statements import NAME, statement_table, unqualified, unquote

_INDEX = re.compile(r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY\b)", re.I)


def _on_live_table(m: LintedMigration, sql: str) -> str | None:
    """The table ``sql`` acts on, unless it is new (created by this migration) or unnamed."""
    table = statement_table(sql)
    return table if table and unqualified(table) not in m.created_tables else None


def _index_not_concurrent(m: LintedMigration) -> Iterator[Hit]:
    for item in m.operations:
        for sql in item.statements:
            if _INDEX.match(sql) and (table := _on_live_table(m, sql)):
                yield Hit(item.index, table, sql)


_CONSTRAINT = re.compile(
    r"^\s*ALTER\s+TABLE\b.*?\bADD\s+CONSTRAINT\s+\S+\s+(?P<kind>FOREIGN\s+KEY|CHECK)\b", re.I | re.S
)
_COLUMN_CHECK = re.compile(r"^\s*ALTER\s+TABLE\b.*?\bADD\s+COLUMN\b.*\bCHECK\s*\(", re.I | re.S)
_ADDED_NOT_VALID = re.compile(
    rf"\bADD\s+CONSTRAINT\s+(?P<name>{NAME})\s.*\bNOT\s+VALID\b", re.I | re.S
)
_VALIDATE = re.compile(
    rf"^\s*ALTER\s+TABLE\b.*\bVALIDATE\s+CONSTRAINT\s+(?P<name>{NAME})", re.I | re.S
)
_NOT_VALID = re.compile(r"\bNOT\s+VALID\b", re.I)
_CONSTRAINT_LOCKS = {
    "FOREIGN KEY": "SHARE ROW EXCLUSIVE on both tables while every row is checked",
    "CHECK": "ACCESS EXCLUSIVE while every row is checked (reads and writes blocked)",
}
_HELD_LOCK = "ACCESS EXCLUSIVE of the ADD, held while VALIDATE checks every row"


def _constraint_validated_at_once(m: LintedMigration) -> Iterator[Hit]:
    added_not_valid: set[str] = set()
    for item in m.operations:
        for sql in item.statements:
            table = _on_live_table(m, sql)
            if (added := _ADDED_NOT_VALID.search(sql)) and m.migration.atomic:
                added_not_valid.add(unquote(added["name"]))
            if not table:
                continue
            match = _CONSTRAINT.match(sql)
            validate = _VALIDATE.match(sql)
            if match and not _NOT_VALID.search(sql):
                kind = " ".join(match["kind"].upper().split())
                yield Hit(item.index, table, sql, lock=_CONSTRAINT_LOCKS[kind])
            elif _COLUMN_CHECK.match(sql):
                yield Hit(item.index, table, sql, lock=_CONSTRAINT_LOCKS["CHECK"])
            elif validate and unquote(validate["name"]) in added_not_valid:
                yield Hit(
                    item.index,
                    table,
                    sql,
                    detail="validated in the transaction that added it NOT VALID",
                    lock=_HELD_LOCK,
                )


_EXCLUDE = re.compile(r"^\s*ALTER\s+TABLE\b.*?\bADD\s+CONSTRAINT\s+\S+\s+EXCLUDE\b", re.I | re.S)


def _exclusion_constraint(m: LintedMigration) -> Iterator[Hit]:
    for item in m.operations:
        for sql in item.statements:
            if _EXCLUDE.match(sql) and (table := _on_live_table(m, sql)):
                yield Hit(item.index, table, sql)


#: More key columns than this rarely make a non-unique index better (strong_migrations).
WIDE_INDEX_COLUMNS = 3


def _wide_index(m: LintedMigration) -> Iterator[Hit]:
    for item, operation, _, _ in m.database_operations():
        if isinstance(operation, ops.AddIndex):  # AddIndexConcurrently too
            width = len(operation.index.fields or operation.index.expressions)
            if width > WIDE_INDEX_COLUMNS:
                detail = f"{operation.index.name}: {width} columns"
                yield Hit(item.index, detail=detail)
