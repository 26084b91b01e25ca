"""What the database holds and how it is used: the migrations guide's inspection queries.

Table sizes and estimated rows, index sizes and use, unused, duplicate and
redundant indexes, foreign keys without an index, and tables read mostly by
sequential scans. One call,
``inspect_database``, runs a handful of catalogue queries (no table is scanned)
and returns plain data; the admin's Tables page and ``manage.py dbinspect``
show it.

Use counts (scans) are PostgreSQL's cumulative statistics since
``stats_reset``: an index unused since a recent reset may still be needed.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.ops.catalog import USER_SCHEMA, column_names

#: Tables with fewer estimated rows are never called sequential-scan heavy.
SEQ_SCAN_MIN_ROWS = 10_000

DATABASE_SQL = """
SELECT current_database(),
       pg_database_size(current_database()),
       current_setting('server_version'),
       (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database())
"""

EXTENSIONS_SQL = "SELECT extname, extversion FROM pg_extension ORDER BY extname"

TABLES_SQL = f"""
SELECT n.nspname,
       c.relname,
       pg_total_relation_size(c.oid),
       pg_relation_size(c.oid),
       pg_indexes_size(c.oid),
       CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END,
       s.n_live_tup,
       s.n_dead_tup,
       s.seq_scan,
       s.seq_tup_read,
       s.idx_scan,
       greatest(s.last_vacuum, s.last_autovacuum),
       greatest(s.last_analyze, s.last_autoanalyze)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'p', 'm')
  AND {USER_SCHEMA}
ORDER BY pg_total_relation_size(c.oid) DESC, n.nspname, c.relname
"""

INDEXES_SQL = f"""
SELECT n.nspname,
       t.relname,
       ic.relname,
       pg_relation_size(ic.oid),
       s.idx_scan,
       i.indisunique,
       i.indisprimary,
       i.indisvalid,
       am.amname,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k),
       i.indclass::text,
       coalesce(pg_get_expr(i.indpred, i.indrelid), ''),
       pg_get_indexdef(i.indexrelid),
       EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
WHERE {USER_SCHEMA}
ORDER BY pg_relation_size(ic.oid) DESC, n.nspname, t.relname, ic.relname
"""


UNINDEXED_FOREIGN_KEYS_SQL = f"""
SELECT n.nspname,
       t.relname,
       c.conname,
       {column_names("c.conkey", "c.conrelid")},
       r.relname
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_class r ON r.oid = c.confrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f'
  AND {USER_SCHEMA}
  AND NOT EXISTS (
      SELECT 1 FROM pg_index i
      WHERE i.indrelid = c.conrelid
        AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey
  )
ORDER BY t.relname, n.nspname, c.conname
"""


@dataclass
class Table:
    schema: str
    name: str
    model: str | None
    total_bytes: int
    table_bytes: int
    index_bytes: int
    rows_estimate: int | None
    live_rows: int | None
    dead_rows: int | None
    seq_scans: int | None
    seq_rows_read: int | None
    index_scans: int | None
    last_vacuum: datetime | None
    last_analyze: datetime | None


@dataclass
class Index:
    schema: str
    table: str
    name: str
    bytes: int
    scans: int | None
    unique: bool
    primary: bool
    valid: bool
    method: str
    columns: list[str]
    definition: str
    backs_constraint: bool
    #: Operator classes and predicate: two indexes are the same only if these match too.
    opclasses: str = field(repr=False)
    predicate: str = field(repr=False)

    @property
    def enforces_something(self) -> bool:
        """Unique, primary or behind a constraint: dropping it would change behaviour."""
        return self.unique or self.primary or self.backs_constraint


@dataclass
class Duplicate:
    """Indexes on the same columns, operator classes and predicate: all but ``keep`` are waste."""

    table: str
    keep: str
    drop: list[str]
    wasted_bytes: int


@dataclass
class Redundant:
    """A plain B-tree index whose columns are the leading columns of another index."""

    table: str
    index: str
    covered_by: str
    bytes: int


@dataclass
class UnindexedForeignKey:
    """A foreign key no index leads with: every delete or key change of a referenced row
    scans ``table`` to find the rows that refer to it."""

    schema: str
    table: str
    constraint: str
    columns: list[str]
    references: str


@dataclass
class SeqScanHeavy:
    table: str
    rows_estimate: int
    seq_scans: int
    index_scans: int
    seq_rows_read: int


@dataclass
class DatabaseReport:
    name: str
    size_bytes: int
    server_version: str
    stats_reset: datetime | None
    extensions: dict[str, str]
    tables: list[Table]
    indexes: list[Index]
    unused_indexes: list[Index]
    duplicate_indexes: list[Duplicate]
    redundant_indexes: list[Redundant]
    unindexed_foreign_keys: list[UnindexedForeignKey]
    seq_scan_heavy: list[SeqScanHeavy]
    #: The findings are advice, never a failure (not a dataclass field: not in ``as_dict``).
    ok = True

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: datetimes as ISO 8601 text."""
        data = asdict(self)
        for index in (*data["indexes"], *data["unused_indexes"]):
            del index["opclasses"], index["predicate"]
        return _iso(data)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


def model_labels() -> dict[str, str]:
    """``{table name: "app.Model"}`` of every installed model."""
    return {m._meta.db_table: m._meta.label for m in apps.get_models(include_auto_created=True)}


def find_duplicates(indexes: list[Index]) -> list[Duplicate]:
    """Groups of indexes that index the same thing; keep the one that enforces something."""
    groups: dict[tuple, list[Index]] = {}
    for index in indexes:
        key = (index.schema, index.table, index.method, tuple(index.columns))
        groups.setdefault((*key, index.opclasses, index.predicate), []).append(index)
    found = []
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda i: (not i.primary, not i.enforces_something, -(i.scans or 0), i.name))
        keep, *drop = group
        droppable = [i for i in drop if not i.enforces_something]
        if droppable:
            found.append(
                Duplicate(
                    keep.table,
                    keep.name,
                    [i.name for i in droppable],
                    sum(i.bytes for i in droppable),
                )
            )
    return found


def find_redundant(indexes: list[Index], duplicates: list[Duplicate]) -> list[Redundant]:
    """Plain B-tree indexes whose key columns lead a longer B-tree index on the same table."""
    already = {name for d in duplicates for name in d.drop}
    candidates = [
        i
        for i in indexes
        if i.method == "btree" and i.valid and not i.predicate and i.name not in already
    ]
    found = []
    for index in candidates:
        if index.enforces_something:
            continue
        width = len(index.columns)
        opclasses = index.opclasses.split()
        for other in candidates:
            if (
                other is not index
                and (other.schema, other.table) == (index.schema, index.table)
                and len(other.columns) > width
                and other.columns[:width] == index.columns
                and other.opclasses.split()[:width] == opclasses
            ):
                found.append(Redundant(index.table, index.name, other.name, index.bytes))
                break
    return found


def unindexed_foreign_keys(connection: BaseDatabaseWrapper) -> list[UnindexedForeignKey]:
    """The foreign keys whose columns lead no index of their table."""
    with connection.cursor() as cursor:
        cursor.execute(UNINDEXED_FOREIGN_KEYS_SQL)
        return [
            UnindexedForeignKey(schema, table, name, list(columns), references)
            for schema, table, name, columns, references in cursor
        ]


def inspect_database(
    connection: BaseDatabaseWrapper, *, seq_scan_min_rows: int = SEQ_SCAN_MIN_ROWS
) -> DatabaseReport:
    """Sizes, row estimates, index use and index waste of the database of ``connection``."""
    labels = model_labels()
    with connection.cursor() as cursor:
        cursor.execute(DATABASE_SQL)
        name, size, version, stats_reset = cursor.fetchone()
        cursor.execute(EXTENSIONS_SQL)
        extensions = dict(cursor.fetchall())
        cursor.execute(TABLES_SQL)
        tables = [
            Table(row[0], row[1], labels.get(row[1]) if row[0] == "public" else None, *row[2:])
            for row in cursor.fetchall()
        ]
        cursor.execute(INDEXES_SQL)
        indexes = [
            Index(
                schema=row[0],
                table=row[1],
                name=row[2],
                bytes=row[3],
                scans=row[4],
                unique=row[5],
                primary=row[6],
                valid=row[7],
                method=row[8],
                columns=list(row[9]),
                opclasses=row[10],
                predicate=row[11],
                definition=row[12],
                backs_constraint=row[13],
            )
            for row in cursor.fetchall()
        ]
    duplicates = find_duplicates(indexes)
    return DatabaseReport(
        name=name,
        size_bytes=size,
        server_version=version,
        stats_reset=stats_reset,
        extensions=extensions,
        tables=tables,
        indexes=indexes,
        unused_indexes=[i for i in indexes if i.scans == 0 and not i.enforces_something],
        duplicate_indexes=duplicates,
        redundant_indexes=find_redundant(indexes, duplicates),
        unindexed_foreign_keys=unindexed_foreign_keys(connection),
        seq_scan_heavy=sorted(
            (
                SeqScanHeavy(
                    t.name, t.rows_estimate, t.seq_scans, t.index_scans or 0, t.seq_rows_read
                )
                for t in tables
                if t.seq_scans
                and (t.rows_estimate or 0) >= seq_scan_min_rows
                and t.seq_scans > (t.index_scans or 0)
            ),
            key=lambda s: s.seq_rows_read,
            reverse=True,
        ),
    )
