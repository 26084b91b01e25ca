"""Prisma's naming rules for constraints and indexes.

Prisma names a key ``<table>_pkey``, a unique index ``<table>_<columns>_key``, an
index ``<table>_<columns>_idx`` and a foreign key ``<table>_<columns>_fkey``. When
the name would pass PostgreSQL's 63-character limit, the ``<table>_<columns>``
part is cut so that the suffix survives.
"""

from collections.abc import Sequence

MAX_IDENTIFIER_LENGTH = 63


def prisma_name(table: str, columns: Sequence[str], suffix: str) -> str:
    """Return the name Prisma gives a ``suffix`` object on ``table(columns)``."""
    stem = "_".join([table, *columns])
    limit = MAX_IDENTIFIER_LENGTH - len(suffix) - 1
    return f"{stem[:limit]}_{suffix}"
