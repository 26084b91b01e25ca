"""Reading the SQL a migration writes: which table, which lock, which setting.

Django's schema editor and squawk both speak SQL; these regular expressions read
just enough of it (the opening words) to name what a statement acts on. They are
not a parser: what they do not recognise they leave unnamed.
"""

import re

NAME = r'(?:"(?:[^"]|"")+"|[\w$]+)'
_QUALIFIED = rf"(?P<table>{NAME}(?:\.{NAME})?)"
_TABLE_PATTERNS = [
    re.compile(rf"^\s*{opening}\s+{_QUALIFIED}", re.I | re.S)
    for opening in (
        r"ALTER\s+TABLE(?:\s+IF\s+EXISTS)?(?:\s+ONLY)?",
        r"DROP\s+TABLE(?:\s+IF\s+EXISTS)?",
        r"CREATE\s+(?:UNIQUE\s+)?INDEX\b.*?\bON(?:\s+ONLY)?",
        r"(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM|TRUNCATE)(?:\s+ONLY)?",
        r"CREATE\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?",
        r"REINDEX\s+TABLE(?:\s+CONCURRENTLY)?",
        r"(?:VACUUM\s+(?:\(\s*)?FULL\)?|CLUSTER)(?:\s+VERBOSE)?",
        r"COMMENT\s+ON\s+(?:TABLE|COLUMN)",
    )
]
#: The lock a statement takes, by its opening words; the first match wins.
_LOCKS = [
    (r"CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY", "SHARE UPDATE EXCLUSIVE"),
    (r"CREATE\s+(UNIQUE\s+)?INDEX", "SHARE (writes blocked for the whole build)"),
    (r"(DROP\s+INDEX|REINDEX\s+\w+)\s+CONCURRENTLY", "SHARE UPDATE EXCLUSIVE"),
    (r"ALTER\s+TABLE\b.*\bVALIDATE\s+CONSTRAINT", "SHARE UPDATE EXCLUSIVE"),
    (r"ALTER\s+TABLE\b.*\bFOREIGN\s+KEY", "SHARE ROW EXCLUSIVE on both tables"),
    (r"REINDEX", "SHARE on the table, ACCESS EXCLUSIVE on its indexes"),
    (
        r"(ALTER|DROP)\s+TABLE|DROP\s+INDEX|TRUNCATE|VACUUM\s+(\(\s*)?FULL|CLUSTER",
        "ACCESS EXCLUSIVE (reads and writes blocked)",
    ),
    (r"UPDATE|DELETE|INSERT|MERGE", "ROW EXCLUSIVE, and row locks on what it writes"),
    (r"ALTER\s+TYPE", "ACCESS EXCLUSIVE on the type"),
    (r"CREATE\s+(TABLE|TYPE|EXTENSION)", "none on existing tables"),
]
_DML = re.compile(r"^\s*(UPDATE|INSERT|DELETE|MERGE|COPY)\b", re.I)


def unquote(name: str) -> str:
    return name.replace('""', "\x00").replace('"', "").replace("\x00", '"')


def statement_table(sql: str) -> str | None:
    """The table a statement acts on, unquoted, when it names one."""
    for pattern in _TABLE_PATTERNS:
        match = pattern.match(sql)
        if match:
            return unquote(match.group("table"))
    return None


def unqualified(table: str | None) -> str | None:
    """``table`` without the ``public.`` that qualifies it, to compare with the models' tables
    (which the search path finds in ``public``)."""
    return table[len("public.") :] if table and table.startswith("public.") else table


def statement_lock(sql: str) -> str | None:
    """The heaviest lock the statement takes, in PostgreSQL's words."""
    for pattern, lock in _LOCKS:
        if re.match(rf"\s*{pattern}", sql, re.I | re.S):
            return lock
    return None


def is_data_statement(sql: str) -> bool:
    return bool(_DML.match(sql))


_DROP_COLUMN = re.compile(rf"\bDROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(?P<column>{NAME})", re.I)


def dropped_column(sql: str) -> str | None:
    """The column an ``ALTER TABLE ... DROP [COLUMN]`` drops (not a constraint or default)."""
    if not re.match(r"\s*ALTER\s+TABLE\b", sql, re.I):
        return None
    for match in _DROP_COLUMN.finditer(sql):
        column = unquote(match["column"])
        if column.upper() not in {"CONSTRAINT", "DEFAULT", "NOT", "IDENTITY", "EXPRESSION"}:
            return column
    return None


def dropped_table(sql: str) -> str | None:
    match = re.match(rf"\s*DROP\s+TABLE(?:\s+IF\s+EXISTS)?\s+{_QUALIFIED}", sql, re.I)
    return unquote(match["table"]) if match else None


_TIMEOUT = re.compile(
    r"""^\s*(?:
        SET\s+(?:SESSION\s+|LOCAL\s+)?(?P<set>lock_timeout|statement_timeout)\s*(?:=|\bTO\b)\s*
            (?P<value>'[^']*'|"[^"]*"|[\w.]+)
      | RESET\s+(?P<reset>lock_timeout|statement_timeout|ALL)
      | SELECT\s+(?:pg_catalog\.)?set_config\s*\(\s*'(?P<config>lock_timeout|statement_timeout)'
            \s*,\s*'(?P<config_value>[^']*)'
    )""",
    re.I | re.X,
)
_UNITS_MS = {"us": 0.001, "ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000, "d": 86_400_000}


def timeout_settings(sql: str) -> list[tuple[str, int | None]]:
    """The timeouts a statement sets: ``[(setting, milliseconds)]``, None for "no limit"
    (0, DEFAULT or RESET, which goes back to the server's default: normally none)."""
    match = _TIMEOUT.match(sql)
    if not match:
        return []
    if match["reset"]:
        names = ("lock_timeout", "statement_timeout")
        return [(n, None) for n in names if match["reset"].lower() in (n, "all")]
    name = (match["set"] or match["config"]).lower()
    return [(name, _milliseconds((match["value"] or match["config_value"] or "").strip("'\"")))]


def _milliseconds(value: str) -> int | None:
    number = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", value, re.I)
    if not number:
        return None  # DEFAULT, or nothing PostgreSQL would take as a limit
    amount = float(number[1]) * _UNITS_MS.get(number[2].lower() or "ms", 1)
    return int(amount) or None
