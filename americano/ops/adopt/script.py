"""The fix SQL of ``--sql-out``: every safe, mechanical statement, in an order that works, and
what needs a person as comments. Written for review; ``adopt_prisma`` never runs it."""

from americano.core.reports import iso
from americano.ops.adopt.report import AdoptionReport

#: How long a fix statement waits for a lock before it gives up (and the script stops):
#: a statement queued behind a long transaction would block every query on its table.
LOCK_TIMEOUT = "5s"


def _comment(text: str) -> str:
    return "\n".join(f"-- {line}" for line in text.splitlines())


def fix_script(report: AdoptionReport) -> str:
    """The SQL file: a header saying how to run it, the statements, what needs a person."""
    lines = [
        "-- adopt_prisma: SQL that brings the database to what the migration history builds.",
        f"-- Database: {report.database}",
        f"-- Generated: {iso(report.generated_at)}",
        "-- Review every statement first. Run it outside a transaction (CREATE INDEX",
        "-- CONCURRENTLY refuses one), stopping at the first error:",
        "--   psql -v ON_ERROR_STOP=1 -f THIS_FILE DATABASE_URL",
        "-- then run adopt_prisma again: it adopts only a database with no difference left.",
        "",
    ]
    for row in report.blocking:
        lines.append(_comment(f"BLOCKING Prisma migration: {row.line}"))
    with_sql = sorted(
        (finding for finding in report.findings if finding.sql), key=lambda f: f.order
    )
    if with_sql:
        lines += [f"SET lock_timeout = '{LOCK_TIMEOUT}';", ""]
    written: set[str] = set()
    for finding in with_sql:
        statements = [s for s in finding.sql if s not in written]
        if not statements:  # another attribute of the same object already fixed it
            continue
        written.update(statements)
        lines.append(_comment(finding.difference.line))
        if finding.note:
            lines.append(_comment(f"note: {finding.note}"))
        lines += [f"{statement};" for statement in statements]
        lines.append("")
    people = [finding for finding in report.findings if finding.person]
    if people:
        lines.append("-- NEEDS A PERSON (no SQL is safe for these):")
        for finding in people:
            lines.append(_comment(f"  {finding.difference.line}"))
            lines.append(_comment(f"    {finding.person}"))
        lines.append("")
    if not report.findings:
        lines.append("-- No difference: nothing to run.")
    return "\n".join(lines).rstrip("\n") + "\n"
