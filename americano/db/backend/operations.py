"""PostgreSQL operations, with identifiers quoted so that a name cannot write SQL."""

import re

from django.db.backends.postgresql import operations

#: One quoted identifier, or a dotted run of them ("schema"."table"): inner quotes doubled.
_QUOTED = re.compile(r'"(?:[^"]|"")*"(?:\."(?:[^"]|"")*")*')
#: Django's way to name a table in a schema: ``db_table = 'schema"."table'``.
_SCHEMA_SEPARATOR = '"."'


class DatabaseOperations(operations.DatabaseOperations):
    def quote_name(self, name: str) -> str:
        """``name`` as an SQL identifier.

        Django's own leaves any ``"`` in the name as it is, so a database named
        ``x" WITH (FORCE) --`` ends the identifier early and writes SQL. Here a
        quote is doubled (PostgreSQL's ``quote_ident``), except in the two forms
        Django code relies on: a name quoted already, and ``schema"."table``.
        """
        if _QUOTED.fullmatch(name):
            return name
        parts = name.split(_SCHEMA_SEPARATOR)
        if len(parts) > 1 and not any('"' in part for part in parts):
            return f'"{name}"'
        return '"{}"'.format(name.replace('"', '""'))
