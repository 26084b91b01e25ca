"""migrate_lint: every rule fires on its known-bad case and stays quiet on the good one.

The cases are the migrations of ``tests/lint_cases``, which is never installed
in the test settings and never applied: the linter only collects their SQL.
"""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from americano.ops.lint import lint_migrations
from americano.ops.lint.rules import RULES
from americano.ops.lint.statements import statement_lock, statement_table
from americano.ops.squawk import EXCLUDED
from tests.commandline import assert_one_line_error, manage
from tests.dbutil import libpq_target
from tests.lint_cases import LABEL, case_loader, expected_findings

CASES = expected_findings()


@pytest.fixture(scope="module")
def case_report(django_db_setup, django_db_blocker):
    """One lint of every case, outside any transaction (CONCURRENTLY needs that)."""
    loader = case_loader()
    keys = [(LABEL, name) for name in sorted(CASES)]
    with django_db_blocker.unblock():
        return lint_migrations(loader, keys, connection, LABEL)


def _rules_by_case(report):
    found = {name: set() for name in CASES}
    for finding in report.findings:
        found[finding.migration].add(finding.rule)
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_gets_exactly_its_findings(case_report, case):
    assert _rules_by_case(case_report)[case] == CASES[case]


def test_every_django_rule_has_a_bad_case_and_good_cases_exist():
    bad = set().union(*CASES.values(), *expected_findings("tests.lint_peers").values())
    assert {rule.id for rule in RULES} <= bad
    assert sum(1 for rules in CASES.values() if not rules) >= 10
    assert any(rule not in {r.id for r in RULES} for rule in bad)  # squawk-only cases too


def _finding(report, case, rule):
    (finding,) = [f for f in report.findings if (f.migration, f.rule) == (case, rule)]
    return finding


def test_a_finding_says_where_what_lock_table_and_safe_way(case_report):
    finding = _finding(case_report, "0013_add_index", "index-not-concurrent")
    assert (finding.app, finding.operation_index, finding.source) == (LABEL, 0, "django")
    assert finding.operation == "Create index lint_book_pages_idx on field(s) pages of model book"
    assert finding.table == "lint_cases_book"
    assert finding.lock.startswith("SHARE")
    assert "AddIndexConcurrently" in finding.safe
    assert finding.sql == 'CREATE INDEX "lint_book_pages_idx" ON "lint_cases_book" ("pages");'
    # squawk says the same of the same statement: folded in, not repeated.
    assert finding.also == ["require-concurrent-index-creation"]
    foreign_key = _finding(case_report, "0015_add_foreign_key", "constraint-not-valid")
    assert foreign_key.lock.startswith("SHARE ROW EXCLUSIVE on both tables")
    assert set(foreign_key.also) == {
        "adding-foreign-key-constraint",
        "constraint-missing-not-valid",
    }


def test_squawk_findings_are_mapped_back_to_their_operation(case_report):
    finding = _finding(case_report, "0032_set_not_null", "adding-not-nullable-field")
    assert finding.source == "squawk"
    assert finding.operation == "Alter field isbn on book"
    assert finding.table == "lint_cases_book"
    assert finding.lock.startswith("ACCESS EXCLUSIVE")
    assert "squawkhq.com/docs/adding-not-nullable-field" in finding.safe


def test_a_waiver_with_a_reason_waives_and_is_reported(case_report, django_db_blocker):
    finding = _finding(case_report, "0034_waived_index", "index-not-concurrent")
    assert finding.waiver == "lint_cases_book holds a few rows; the lock lasts milliseconds"
    assert finding not in case_report.blocking
    assert finding.as_dict()["waived"] is True
    assert {
        "app": LABEL,
        "migration": "0034_waived_index",
        "rule": "rename-table",
        "why": "no reason given",
    } in case_report.unused_waivers
    with django_db_blocker.unblock():
        alone = lint_migrations(case_loader(), [(LABEL, "0034_waived_index")], connection)
    assert alone.ok


def test_squawk_is_configured_for_how_our_migrations_run():
    # Deploys set the timeouts; the Prisma contract fixes these types.
    assert {"require-lock-timeout", "require-statement-timeout"} <= set(EXCLUDED)
    assert {"prefer-timestamp-tz", "prefer-bigint-over-int"} <= set(EXCLUDED)
    assert all(reason for reason in EXCLUDED.values())


def test_statements_are_read_for_their_table_and_lock():
    assert statement_table('ALTER TABLE ONLY "public"."cards" ADD COLUMN x int') == "public.cards"
    assert statement_table('CREATE UNIQUE INDEX "a" ON "cards" ("x")') == "cards"
    assert statement_table("update cards set x = 1") == "cards"
    assert statement_table("SELECT 1") is None
    assert statement_lock("CREATE INDEX CONCURRENTLY a ON b (c)") == "SHARE UPDATE EXCLUSIVE"
    assert statement_lock("ALTER TABLE b VALIDATE CONSTRAINT c") == "SHARE UPDATE EXCLUSIVE"
    assert statement_lock("ALTER TABLE b ADD COLUMN c int").startswith("ACCESS EXCLUSIVE")


# --- the command --------------------------------------------------------------------


def lint_command(*args, exit_code=0, **options):
    out = io.StringIO()
    if exit_code:
        with pytest.raises(CommandError) as exited:
            call_command("migrate_lint", *args, format="json", stdout=out, **options)
        assert exited.value.returncode == exit_code
    else:
        call_command("migrate_lint", *args, format="json", stdout=out, **options)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_nothing_pending_is_clean():
    document = lint_command()
    assert document["selection"] == "pending"
    assert document["migrations"] == []
    assert document["clean"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("app", ["learning", "content", "behavior"])
def test_the_schema_history_is_clean(app):
    document = lint_command(app)
    assert document["migrations"] == [f"{app}.0001_initial"]
    assert document["findings"] == []


def test_the_command_lints_what_is_pending_and_fails_on_findings(
    django_db_setup, django_db_blocker
):
    # Installed for this test only, and outside a transaction (as migrate_lint runs).
    installed = [*settings.INSTALLED_APPS, "tests.lint_cases"]
    with django_db_blocker.unblock(), override_settings(INSTALLED_APPS=installed):
        pending = lint_command(exit_code=1)
        good = lint_command(LABEL, "0014")
        waived = lint_command(LABEL, "0034")
    # Installed but never migrated: every case is pending.
    assert pending["migrations"] == [f"{LABEL}.{name}" for name in sorted(CASES)]
    # None of the cases' tables is in the database: rewrites and builds of them are advice.
    summary = pending["summary"]
    assert summary["blocking"] + summary["advice"] == summary["findings"] - 1
    finding = pending["findings"][0]
    assert set(finding) == {
        "rule",
        "source",
        "app",
        "migration",
        "operation",
        "table",
        "lock",
        "message",
        "safe_alternative",
        "sql",
        "also_reported_by",
        "waived",
        "waiver_reason",
        "severity",
        "cost",
        "table_size",
    }
    assert (good["selection"], good["clean"], good["findings"]) == (
        f"{LABEL}.0014_add_index_concurrently",
        True,
        [],
    )
    assert waived["clean"] is True
    assert waived["summary"] == {
        "migrations": 1,
        "findings": 1,
        "blocking": 0,
        "advice": 0,
        "waived": 1,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuchapp"], "has no migrations"),
        (["learning", "0999"], "no migration learning.0999"),
    ],
)
def test_bad_selections_are_one_line_errors(args, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("migrate_lint", *args)
    assert refused.value.returncode == 2


@pytest.mark.slow
@pytest.mark.django_db
def test_on_a_database_url_with_text_output():
    url, env = libpq_target()
    result = manage("migrate_lint", "learning", env=env, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 findings (0 waived) in 1 migrations (learning)"
    both = manage("migrate_lint", "learning", "--all", env=env, DATABASE_URL=url)
    assert both.returncode == 2


BROKEN = {
    "a syntax error": (
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration:\n    pass\n",
        "0001_initial.py:4",
    ),
    "an import error": (
        "from django.db import migrations\nimport no_such_module_here\n\n\n"
        "class Migration(migrations.Migration):\n    pass\n",
        "0001_initial.py:2",
    ),
    "a dependency that does not exist": (
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        "    dependencies = [('brokenapp', '0000_never')]\n",
        "brokenapp.0001_initial",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("problem", sorted(BROKEN))
def test_a_broken_migration_file_is_one_line_naming_it(problem, tmp_path):
    source, named = BROKEN[problem]
    migrations = tmp_path / "brokenapp" / "migrations"
    migrations.mkdir(parents=True)
    for package in (migrations.parent, migrations):
        (package / "__init__.py").write_text("")
    (migrations / "0001_initial.py").write_text(source)
    (tmp_path / "broken_settings.py").write_text(
        "from americano.settings import *  # noqa\n"
        "INSTALLED_APPS = [*INSTALLED_APPS, 'brokenapp']\n"
    )
    for command in ("migrate_lint", "migrate_status"):
        result = manage(command, "--settings", "broken_settings", PYTHONPATH=str(tmp_path))
        assert_one_line_error(result)
        assert named in result.stderr
