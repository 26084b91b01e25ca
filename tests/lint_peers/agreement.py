"""How far ``migrate_lint`` agrees with the verdicts of the ported cases.

    .venv/bin/python -m tests.lint_peers.agreement

lints every case of ``tests.lint_peers`` from the files alone (no table sizes:
every table counts as large) on a scratch database holding the base tables,
and prints, overall, by peer and by kind of operation: unsafe cases flagged
(the lint fails on them) and safe cases passed (it does not; advice allowed).
The suite asserts full agreement (tests/test_migrate_lint_peers.py).
"""

import os
import sys
import uuid
from collections.abc import Iterable

#: The kind of operation each case's number starts with.
TOPICS = {
    "01": "adding columns",
    "02": "altering columns",
    "03": "renames",
    "04": "removals",
    "05": "indexes",
    "06": "constraints",
    "07": "foreign keys",
    "08": "enum types",
    "09": "RunSQL, RunPython, SeparateDatabaseAndState",
}


def flagged(report) -> dict[str, bool]:
    """``{case: whether the lint fails on it}`` for the cases of ``report``."""
    failing = {finding.migration for finding in report.failing}
    return {
        name.rpartition(".")[2]: name.rpartition(".")[2] in failing for name in report.migrations
    }


def tally(verdicts: Iterable[tuple[str, bool]]) -> dict[str, tuple[int, int]]:
    """``{"unsafe flagged": (n, of), "safe passed": (n, of)}`` of ``(verdict, flagged)`` pairs."""
    pairs = list(verdicts)
    unsafe = [hit for verdict, hit in pairs if verdict == "unsafe"]
    safe = [hit for verdict, hit in pairs if verdict == "safe"]
    return {
        "unsafe flagged": (sum(unsafe), len(unsafe)),
        "safe passed": (len(safe) - sum(safe), len(safe)),
    }


def lines(report) -> list[str]:
    from tests.lint_peers import PEERS, cases

    modules = cases()
    hits = flagged(report)

    def row(title: str, names: list[str]) -> str:
        counts = tally((modules[n].VERDICT, hits[n]) for n in names)
        shown = ", ".join(f"{key} {n}/{of}" for key, (n, of) in counts.items())
        return f"  {title:44} {len(names):3} cases: {shown}"

    ported = [n for n in modules if modules[n].PEERS]
    out = ["Agreement of migrate_lint with the ported cases (files alone):"]
    out.append(row("all cases", list(modules)))
    out.append(row("ported from a peer", ported))
    out += [row(peer, [n for n in modules if peer in modules[n].PEERS]) for peer in PEERS]
    out += [row(topic, [n for n in modules if n[:2] == key]) for key, topic in TOPICS.items()]
    wrong = [n for n in modules if hits[n] != (modules[n].VERDICT == "unsafe")]
    out.append(f"  disagreements: {', '.join(wrong) or 'none'}")
    return out


def main() -> None:
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import connection

    from americano.ops.lint import lint_migrations
    from tests.dbutil import create_database, drop_database
    from tests.lint_cases import case_loader
    from tests.lint_peers import LABEL, PACKAGE, base_tables, cases

    scratch = f"lint_agreement_{uuid.uuid4().hex[:8]}"
    create_database(scratch)
    connection.close()
    connection.settings_dict["NAME"] = scratch
    try:
        with base_tables(connection):
            keys = [(LABEL, name) for name in sorted(cases())]
            report = lint_migrations(case_loader(PACKAGE), keys, connection, LABEL)
    finally:
        connection.close()
        drop_database(scratch)
    print("\n".join(lines(report)))


if __name__ == "__main__":
    main()
