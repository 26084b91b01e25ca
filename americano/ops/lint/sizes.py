"""How big the tables are, and so how bad a rewrite, scan or index build of them is.

The sizes are the connected database's, read by ``inspect.inspect_database``
(rows estimated from ``pg_class.reltuples``, bytes from
``pg_total_relation_size``; no table is scanned). A finding whose cost grows with
the table (``model.SIZED``) is blocking on a table above the large-table limit,
or on one whose size is not known, and advice below it. A table the database does
not have yet is created by a migration that has not run: empty when this one runs.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.template.defaultfilters import filesizeformat

from americano.core.errors import InputError, one_line
from americano.ops.inspect import inspect_database
from americano.ops.lint.model import SIZED, Cost

BLOCKING = "blocking"
ADVICE = "advice"

_UNITS = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


@dataclass(frozen=True)
class TableSize:
    rows: int | None
    bytes: int | None
    #: False for a table the database does not have (yet).
    exists: bool = True

    def as_dict(self) -> dict:
        return {"rows": self.rows, "bytes": self.bytes}

    def describe(self) -> str:
        rows = "unknown rows" if self.rows is None else f"~{self.rows:,} rows"
        size = "" if self.bytes is None else f", {human_bytes(self.bytes)}"
        return rows + size


def human_bytes(count: int) -> str:
    return str(filesizeformat(count)).replace("\xa0", " ")


@dataclass(frozen=True)
class LargeTable:
    """Above either limit a table is large: rewriting, scanning or indexing it blocks."""

    rows: int = 100_000
    bytes: int = 100 * 1024**2

    def holds(self, size: TableSize) -> bool:
        return (size.rows or 0) > self.rows or (size.bytes or 0) > self.bytes

    def describe(self) -> str:
        return f"{self.rows:,} rows or {human_bytes(self.bytes)}"

    def with_limits(self, text: str) -> "LargeTable":
        """These limits changed by ``text``: ``ROWS``, ``SIZE`` (``100MB``) or ``ROWS,SIZE``."""
        rows, size = self.rows, self.bytes
        for part in filter(None, (p.strip() for p in text.split(","))):
            match = re.fullmatch(r"(\d[\d_]*)\s*([KMGT]?B)?", part, re.I)
            if not match:
                raise InputError(
                    f"--large-table {text!r}: give rows (100000), a size (100MB) or both "
                    "(100000,100MB)"
                )
            number = int(match[1].replace("_", ""))
            if match[2]:
                size = number * _UNITS[match[2].upper()]
            else:
                rows = number
        return LargeTable(rows, size)


def configured_large_table() -> LargeTable:
    """The limits of the settings ``AMERICANO_LINT_LARGE_TABLE_ROWS`` and ``_BYTES``."""
    return LargeTable(
        getattr(settings, "AMERICANO_LINT_LARGE_TABLE_ROWS", LargeTable.rows),
        getattr(settings, "AMERICANO_LINT_LARGE_TABLE_BYTES", LargeTable.bytes),
    )


#: How long reading the sizes waits for a table that another session holds locked
#: (``pg_total_relation_size`` takes ACCESS SHARE, which an ALTER under way blocks).
SIZES_LOCK_TIMEOUT = "2s"
_LOCK_NOT_AVAILABLE = "55P03"
_SET_LOCK_TIMEOUT = "SELECT set_config('lock_timeout', %s, true)"


class TableSizes:
    """The measured size of each table of a database, by name (and ``schema.name``).

    When a table stays locked past ``lock_timeout`` the sizes are not read
    (``unread`` says why) and every table counts as unmeasured, so as large: the
    lint goes on, judging as from the files alone.
    """

    def __init__(self, connection: BaseDatabaseWrapper, lock_timeout: str = SIZES_LOCK_TIMEOUT):
        self.database = connection.settings_dict.get("NAME")
        self.unread: str | None = None
        self._sizes: dict[str, TableSize] = {}
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('lock_timeout')")
                (before,) = cursor.fetchone()
                cursor.execute(_SET_LOCK_TIMEOUT, [lock_timeout])
                tables = inspect_database(connection).tables
                # Put back in the caller's transaction, if there is one, what was there.
                cursor.execute(_SET_LOCK_TIMEOUT, [before])
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != _LOCK_NOT_AVAILABLE:
                raise
            self.unread = f"a table stayed locked by another session: {one_line(error)}"
            return
        for table in tables:
            size = TableSize(table.rows_estimate, table.total_bytes)
            self._sizes[f"{table.schema}.{table.name}"] = size
            self._sizes.setdefault(table.name, size)

    def of(self, tables: Iterable[str]) -> TableSize | None:
        """The largest of ``tables``; a table missing from the database counts as empty;
        None when the sizes could not be read."""
        if self.unread:
            return None
        sizes = [self._sizes.get(t, TableSize(0, 0, exists=False)) for t in tables]
        return max(sizes, key=lambda s: (s.rows or 0, s.bytes or 0), default=None)


def severity(cost: Cost, size: TableSize | None, large: LargeTable) -> str:
    """``blocking`` or ``advice``: fixed by the cost, or by the table's size for the costs
    that grow with it (an unknown size counts as large)."""
    if cost is Cost.ADVICE:
        return ADVICE
    if cost in SIZED and size is not None and not large.holds(size):
        return ADVICE
    return BLOCKING


def size_note(cost: Cost, size: TableSize | None, large: LargeTable) -> str | None:
    """What the message says of the table's size, for a cost that grows with it."""
    if cost not in SIZED:
        return None
    if size is None:
        return "table size not measured: counted as large"
    if not size.exists:
        return "not in the database yet: a migration still to run creates it, empty"
    side = "above" if large.holds(size) else "below"
    return f"{size.describe()}: {side} the large-table limit of {large.describe()}"
