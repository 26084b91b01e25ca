"""``manage.py dbinspect``: the inspection queries of ``americano.ops.inspect``, printed."""

from django.template.defaultfilters import filesizeformat

from americano.core.errors import InputError
from americano.core.reports import printable
from americano.management.base import ProjectCommand
from americano.ops.databases import connection_for_alias
from americano.ops.inspect import SEQ_SCAN_MIN_ROWS, DatabaseReport, inspect_database


def cell(value: object) -> str:
    """A value on one line of a column: names come from the database, and a control
    character, a newline or a tab in one must neither drive the terminal nor break the table."""
    return printable("" if value is None else value).replace("\n", "\\n").replace("\t", "\\t")


def table(headers: list[str], rows: list[list[object]]) -> list[str]:
    """Rows as aligned text columns; numbers right-aligned."""
    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    numeric = [
        all(isinstance(row[i], int | float) for row in rows if row[i] is not None)
        for i in range(len(headers))
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]


def size(value: int) -> str:
    return str(filesizeformat(value)).replace("\xa0", " ")


def text_report(report: DatabaseReport, limit: int) -> str:
    """The report as sections of aligned columns, ``limit`` rows for the long ones; a section
    without rows is its title and "none"."""

    def section(
        title: str, headers: list[str], rows: list[list[object]], *, long: bool, order: str = ""
    ) -> list[str]:
        shown = rows[:limit] if long and limit else rows
        notes = [str(len(rows))] if rows else ["none"]
        if rows and order:
            notes.append(order)
        elif len(shown) < len(rows):
            notes.append(f"largest {len(shown)} shown")
        return ["", f"{title}: {', '.join(notes)}", *(table(headers, shown) if rows else [])]

    out = [
        f"Database {cell(report.name)}: {size(report.size_bytes)},"
        f" PostgreSQL {cell(report.server_version)}",
        "Extensions: " + ", ".join(f"{cell(k)} {cell(v)}" for k, v in report.extensions.items()),
        "Use counted since: "
        + (
            report.stats_reset.isoformat()
            if report.stats_reset
            else "the statistics were never reset"
        ),
    ]
    out += section(
        "Tables",
        ["table", "rows (estimate)", "total", "data", "indexes", "seq scans", "index scans"],
        [
            [
                t.name,
                t.rows_estimate,
                size(t.total_bytes),
                size(t.table_bytes),
                size(t.index_bytes),
                t.seq_scans,
                t.index_scans,
            ]
            for t in report.tables
        ],
        long=True,
        order="largest first",
    )
    out += section(
        "Indexes",
        ["table", "index", "size", "scans"],
        [[i.table, i.name, size(i.bytes), i.scans] for i in report.indexes],
        long=True,
        order="largest first",
    )
    out += section(
        "Unused indexes (no scan since the statistics were reset)",
        ["table", "index", "size"],
        [[i.table, i.name, size(i.bytes)] for i in report.unused_indexes],
        long=True,
    )
    out += section(
        "Duplicate indexes",
        ["table", "keep", "droppable", "wasted"],
        [
            [d.table, d.keep, ", ".join(d.drop), size(d.wasted_bytes)]
            for d in report.duplicate_indexes
        ],
        long=False,
    )
    out += section(
        "Redundant indexes (their columns lead another index)",
        ["table", "index", "covered by", "size"],
        [[r.table, r.index, r.covered_by, size(r.bytes)] for r in report.redundant_indexes],
        long=False,
    )
    out += section(
        "Foreign keys without an index (each delete of a referenced row scans the table)",
        ["table", "columns", "references", "constraint"],
        [
            [f.table, ", ".join(f.columns), f.references, f.constraint]
            for f in report.unindexed_foreign_keys
        ],
        long=False,
    )
    out += section(
        "Tables read mostly by sequential scans",
        ["table", "rows (estimate)", "seq scans", "index scans", "rows read by seq scans"],
        [
            [s.table, s.rows_estimate, s.seq_scans, s.index_scans, s.seq_rows_read]
            for s in report.seq_scan_heavy
        ],
        long=False,
    )
    return "\n".join(out)


class Command(ProjectCommand):
    help = """\
Shows table sizes and estimated rows, index sizes and use, unused, duplicate
and redundant indexes, foreign keys without an index, and tables read mostly
by sequential scans. Only reads the catalogue: safe on a production database.
JSON has every row, sizes in bytes."""
    exit_codes = {0: "inspected: the findings are advice, never a failure"}
    json_doc = "docs/admin.md"

    def add_options(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=20,
            help="Rows of the long lists (tables, indexes, unused indexes) in text output"
            " (default 20, 0 for all); JSON always has every row.",
        )
        parser.add_argument(
            "--seq-scan-min-rows",
            type=int,
            default=SEQ_SCAN_MIN_ROWS,
            help="Smallest table (estimated rows) to call sequential-scan heavy"
            f" (default {SEQ_SCAN_MIN_ROWS}).",
        )
        self.add_database_option(parser, "inspect")

    def run(self, **options) -> DatabaseReport:
        if options["limit"] < 0 or options["seq_scan_min_rows"] < 0:
            raise InputError("--limit and --seq-scan-min-rows must be 0 or more")
        self.limit = options["limit"]
        return inspect_database(
            connection_for_alias(options["database"]),
            seq_scan_min_rows=options["seq_scan_min_rows"],
        )

    def render(self, report: DatabaseReport) -> str:
        return text_report(report, self.limit)
