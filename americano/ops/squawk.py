"""``squawk`` (PyPI ``squawk-cli``) on the SQL of each migration, findings mapped back.

Each migration's statements go to one file, in operation order, so that a
finding's line names its statement and so its operation. squawk is configured
for how our migrations run:

* atomic migrations run in one transaction: ``--assume-in-transaction`` (so
  that, say, ``CREATE INDEX CONCURRENTLY`` in one is caught); non-atomic ones
  run statement by statement, without it;
* the server version is the connected server's;
* the rules in ``EXCLUDED`` are off, each for the reason given there. Every
  other rule, the opt-in ones aside, is on; a repository ``.squawk.toml`` is not
  read, so that this module is the whole configuration;
* ``COSTS`` says what each rule's finding costs the running system, which makes
  it blocking or advice (``americano.ops.lint.sizes``).
"""

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from americano.core.errors import SetupError

if TYPE_CHECKING:  # the lint package imports this module
    from americano.ops.lint.model import LintedMigration

#: squawk rules that are off, and why.
EXCLUDED = {
    "require-lock-timeout": (
        "migrate (outside development) and migrate_deploy set lock_timeout on the session "
        "before each migration, atomic or not, so no migration needs its own; what they still "
        "add, a migration whose SQL lifts or removes the timeout (SET lock_timeout = 0, "
        "RESET), the Django rule timeout-overridden reports"
    ),
    "require-statement-timeout": (
        "migrate (outside development) and migrate_deploy set statement_timeout before each "
        "migration; SQL that changes it is reported by timeout-overridden (as advice: lifting "
        "it for CONCURRENTLY or VALIDATE work is the usual, harmless case)"
    ),
    "prefer-timestamp-tz": "the Prisma contract's DateTime is timestamp(3) without time zone",
    "prefer-bigint-over-int": "the Prisma contract's Int is a 32-bit integer the clients share",
    "ban-drop-constraint": (
        "dropping a constraint only loosens what the database accepts, breaking nothing that "
        "runs; Django drops and re-creates constraints whenever a foreign key or check changes, "
        "and the constraint added back is what the other rules judge"
    ),
    "prefer-robust-stmts": (
        "Django operations cannot write IF NOT EXISTS; an atomic migration rolls back "
        "whole, and what a failed non-atomic one leaves (an INVALID index) is reported "
        "by migrate_status --drift"
    ),
}
DOCS = "https://squawkhq.com/docs/{rule}"

#: What each rule's finding costs (values of ``americano.ops.lint.model.Cost``): ``breaks``
#: the running code or the migration, ``rewrite``/``scan``/``build`` the table under a lock
#: that blocks (blocking only on a large table), ``advice`` for style. A rule missing here
#: (a newer squawk's) counts as ``breaks``: blocking until someone judges it.
COSTS = {
    "adding-field-with-default": "rewrite",
    "adding-foreign-key-constraint": "scan",
    "adding-not-nullable-field": "scan",
    "adding-required-field": "breaks",
    "adding-serial-primary-key-field": "build",
    "ban-alter-domain-with-add-constraint": "scan",
    "ban-char-field": "advice",
    "ban-concurrent-index-creation-in-transaction": "breaks",
    "ban-create-domain-with-constraint": "advice",
    "ban-drop-column": "breaks",
    "ban-drop-database": "breaks",
    "ban-drop-default": "breaks",
    "ban-drop-not-null": "advice",
    "ban-drop-table": "breaks",
    "ban-drop-type": "breaks",
    "ban-truncate-cascade": "breaks",
    "ban-uncommitted-transaction": "breaks",
    "changing-column-type": "rewrite",
    "constraint-missing-not-valid": "scan",
    "disallowed-unique-constraint": "build",
    "identifier-too-long": "advice",
    "prefer-bigint-over-smallint": "advice",
    "prefer-identity": "advice",
    "prefer-repack": "advice",
    "prefer-text-field": "advice",
    "renaming-column": "breaks",
    "renaming-object": "breaks",
    "renaming-table": "breaks",
    "require-concurrent-index-creation": "build",
    "require-concurrent-index-deletion": "advice",
    "require-concurrent-partition-detach": "scan",
    "require-concurrent-reindex": "build",
    "require-enum-value-ordering": "advice",
    "syntax-error": "advice",
    "transaction-nesting": "breaks",
}


class SquawkError(SetupError):
    """squawk is missing or did not answer."""


@dataclass(frozen=True)
class SquawkHit:
    rule: str
    #: ``app.migration``
    migration: str
    operation: int
    sql: str
    message: str
    help: str | None


def squawk_program() -> str:
    """The squawk next to this Python (a venv's bin/), or the one on PATH."""
    beside = Path(sys.executable).parent / "squawk"
    found = str(beside) if beside.exists() else shutil.which("squawk")
    if not found:
        raise SquawkError("squawk is not installed (pip install squawk-cli)")
    return found


def server_version(pg_version: int) -> str:
    """``180001`` -> ``"18.1"``, the form ``--pg-version`` takes."""
    return f"{pg_version // 10000}.{pg_version % 10000}"


def run_squawk(migrations: list["LintedMigration"], pg_version: str) -> list[SquawkHit]:
    """squawk's findings on the statements of ``migrations``."""
    program = squawk_program()
    hits: list[SquawkHit] = []
    with tempfile.TemporaryDirectory(prefix="americano-lint-") as folder:
        config = Path(folder) / "squawk.toml"
        config.write_text("")
        spans_by_file: dict[str, tuple[str, list]] = {}
        files_by_atomic: dict[bool, list[str]] = {True: [], False: []}
        for number, linted in enumerate(migrations):
            spans, chunks, line = [], [], 0
            for item in linted.operations:
                for sql in item.statements:
                    height = sql.count("\n") + 1
                    spans.append((line, line + height - 1, item.index, sql))
                    chunks.append(sql)
                    line += height
            if not chunks:
                continue
            path = Path(folder) / f"{number:04d}.sql"
            path.write_text("\n".join(chunks) + "\n")
            spans_by_file[str(path)] = (linted.key, spans)
            files_by_atomic[bool(linted.migration.atomic)].append(str(path))
        for atomic, files in files_by_atomic.items():
            if not files:
                continue
            args = [program, "--reporter", "json", "--config", str(config)]
            args += ["--pg-version", pg_version, "--exclude", ",".join(EXCLUDED)]
            args += ["--assume-in-transaction" if atomic else "--no-assume-in-transaction"]
            for violation in _violations(args + files):
                key, spans = spans_by_file[violation["file"]]
                _, _, operation, sql = next(
                    span for span in spans if span[0] <= violation["line"] <= span[1]
                )
                hits.append(
                    SquawkHit(
                        violation["rule_name"],
                        key,
                        operation,
                        sql,
                        violation["message"],
                        violation.get("help"),
                    )
                )
    return hits


def _violations(args: list[str]) -> list[dict]:
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    except OSError as error:
        raise SquawkError(f"squawk could not run: {error}") from None
    try:
        return json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        problem = (result.stderr or result.stdout).strip().splitlines() or [result.returncode]
        raise SquawkError(f"squawk failed: {problem[0]}") from None
