"""How bad a finding is depends on the live size of its table: real tables, real rows.

The base tables of ``tests/lint_peers`` are created on the test database and
``lint_peers_account`` is filled with rows; the lint reads their sizes as
``dbinspect`` does (estimated rows, total bytes).
"""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from americano.core.errors import InputError
from americano.ops.lint import LargeTable, TableSizes, lint_migrations
from tests.backfill_support import other_session
from tests.lint_cases import LABEL as CASES_LABEL
from tests.lint_cases import case_loader
from tests.lint_peers import LABEL, PACKAGE, base_tables

ROWS = 3000


@pytest.fixture(scope="module")
def filled(django_db_setup, django_db_blocker):
    """The base tables, ``lint_peers_account`` with ``ROWS`` rows, analysed."""
    with django_db_blocker.unblock(), base_tables(connection):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO lint_peers_account (name, code, legacy) "
                "SELECT 'account ' || g, 'c' || g, 'x' FROM generate_series(1, %s) g",
                [ROWS],
            )
            cursor.execute("ANALYZE lint_peers_account")
        yield


def lint(case: str, large: LargeTable, package: str = PACKAGE, label: str = LABEL):
    return lint_migrations(
        case_loader(package),
        [(label, case)],
        connection,
        sizes=TableSizes(connection),
        large_table=large,
    )


def only(report, rule):
    (finding,) = [f for f in report.findings if f.rule == rule]
    return finding


def test_a_rewrite_of_a_table_above_the_limit_is_blocking_and_says_its_size(
    filled, django_db_blocker
):
    with django_db_blocker.unblock():
        report = lint("0201_alter_integer_to_bigint", LargeTable(rows=1000))
    finding = only(report, "column-type-change")
    assert finding.severity == "blocking" and not report.ok
    assert finding.table_size.rows == ROWS and finding.table_size.bytes > 0
    assert f"lint_peers_account: ~{ROWS:,} rows" in finding.message
    assert "above the large-table limit of 1,000 rows or 100.0 MB" in finding.message
    assert finding.as_dict()["table_size"] == {"rows": ROWS, "bytes": finding.table_size.bytes}


def test_the_same_rewrite_of_a_small_table_is_advice(filled, django_db_blocker):
    with django_db_blocker.unblock():
        report = lint("0201_alter_integer_to_bigint", LargeTable(rows=10_000))
    finding = only(report, "column-type-change")
    assert (finding.severity, report.ok) == ("advice", True)
    assert "below the large-table limit of 10,000 rows" in finding.message


def test_either_limit_makes_a_table_large(filled, django_db_blocker):
    with django_db_blocker.unblock():
        by_bytes = lint("0501_add_index", LargeTable(rows=10**9, bytes=1024))
        neither = lint("0601_add_check", LargeTable(rows=10**9, bytes=10**12))
    assert only(by_bytes, "index-not-concurrent").severity == "blocking"
    assert only(neither, "constraint-not-valid").severity == "advice"


def test_breaking_the_running_code_is_blocking_whatever_the_size(filled, django_db_blocker):
    with django_db_blocker.unblock():
        report = lint("0401_drop_column", LargeTable(rows=10**9))
    finding = only(report, "drop-column")
    assert finding.severity == "blocking"
    assert finding.table_size.rows == ROWS  # every finding on an existing table carries it
    assert "rows" not in finding.message  # the size changes nothing here: not said


def test_a_table_the_database_does_not_have_yet_will_be_empty(django_db_blocker):
    with django_db_blocker.unblock():
        report = lint("0013_add_index", LargeTable(), "tests.lint_cases", CASES_LABEL)
    finding = only(report, "index-not-concurrent")
    assert (finding.severity, finding.table_size) == ("advice", None)
    assert "not in the database yet" in finding.message


def test_a_table_locked_by_another_session_leaves_the_sizes_unread(filled, django_db_blocker):
    with django_db_blocker.unblock(), other_session() as other:
        other.execute("LOCK TABLE lint_peers_account IN ACCESS EXCLUSIVE MODE")
        sizes = TableSizes(connection, lock_timeout="100ms")
        report = lint_migrations(
            case_loader(PACKAGE), [(LABEL, "0501_add_index")], connection, sizes=sizes
        )
    assert sizes.unread.startswith("a table stayed locked by another session: ")
    assert report.as_dict()["sizes_unread"] == sizes.unread
    finding = only(report, "index-not-concurrent")  # judged as from the files alone
    assert (finding.severity, finding.table_size) == ("blocking", None)
    assert "table size not measured: counted as large" in finding.message


def test_large_table_limits_are_rows_a_size_or_both():
    assert LargeTable().with_limits("5000") == LargeTable(5000, 100 * 1024**2)
    assert LargeTable().with_limits("50MB") == LargeTable(100_000, 50 * 1024**2)
    assert LargeTable().with_limits("5_000, 2gb") == LargeTable(5000, 2 * 1024**3)
    with pytest.raises(InputError, match="give rows"):
        LargeTable().with_limits("lots")


# --- the command ---------------------------------------------------------------------------


def run(*args, exit_code=0):
    out = io.StringIO()
    options = {"stdout": out, "stderr": io.StringIO()}
    if exit_code:
        with pytest.raises(CommandError) as exited:
            call_command("migrate_lint", "lint_peers", *args, **options)
        assert exited.value.returncode == exit_code
    else:
        call_command("migrate_lint", "lint_peers", *args, **options)
    return out.getvalue()


@pytest.fixture
def installed(filled, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, PACKAGE]),
    ):
        yield


def test_the_command_measures_the_connected_database_unless_told_not_to(installed):
    large = json.loads(run("0201", "--large-table", "1000", "--format", "json", exit_code=1))
    small = json.loads(run("0201", "--format", "json"))
    strict = json.loads(run("0201", "--strict", "--format", "json", exit_code=1))
    files = json.loads(run("0201", "--no-database", "--format", "json", exit_code=1))
    assert [f["severity"] for f in large["findings"]] == ["blocking"]
    assert large["large_table"] == {"rows": 1000, "bytes": 100 * 1024**2}
    assert large["sizes_from"] == connection.settings_dict["NAME"]
    assert (small["clean"], small["summary"]["blocking"], small["summary"]["advice"]) == (
        True,
        0,
        1,
    )
    assert small["findings"][0]["table_size"]["rows"] == ROWS
    assert (strict["clean"], strict["strict"]) == (False, True)
    assert (files["sizes_from"], files["findings"][0]["table_size"]) == (None, None)
    assert files["findings"][0]["cost"] == "rewrite"


def test_the_settings_give_the_default_limits(installed):
    with override_settings(AMERICANO_LINT_LARGE_TABLE_ROWS=1000):
        document = json.loads(run("0201", "--format", "json", exit_code=1))
    assert document["large_table"]["rows"] == 1000
    assert document["findings"][0]["severity"] == "blocking"


def test_text_output_groups_findings_by_severity(installed):
    text = run("0515", "--large-table", "1000", exit_code=1)
    blocking, advice = text.index("Blocking (1;"), text.index("Advice (1;")
    assert blocking < text.index("index-not-concurrent (django)") < advice
    assert advice < text.index("identifier-too-long (squawk)")
    summary = "in 1 migrations (lint_peers.0515_add_index_with_long_name): 1 blocking, 1 advice"
    assert text.rstrip().endswith(f"2 findings (0 waived) {summary}")


def test_a_bad_large_table_limit_is_a_one_line_error(installed):
    with pytest.raises(CommandError, match="--large-table 'lots'") as refused:
        call_command("migrate_lint", "lint_peers", "0201", "--large-table", "lots")
    assert refused.value.returncode == 2
