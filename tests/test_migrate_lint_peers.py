"""migrate_lint against the cases ported from other linters: each gets its verdict.

The cases are the migrations of ``tests/lint_peers`` (see its package): each
cites the peer test suite or README it comes from and says whether it is unsafe
(the lint must fail on it, read from the files alone) or safe (it must pass,
advice allowed), and which findings, of which severity, it gets.
"""

import pytest
from django.db import connection

from americano.ops.lint import lint_migrations
from americano.ops.squawk import EXCLUDED
from tests.lint_cases import case_loader, expected_severities
from tests.lint_peers import LABEL, PACKAGE, PEERS, base_tables, cases
from tests.lint_peers.agreement import TOPICS, flagged, lines

CASES = cases()
EXPECTED = expected_severities(PACKAGE)


@pytest.fixture(scope="module")
def peer_report(django_db_setup, django_db_blocker):
    """One lint of every case from the files alone, with the base tables created for real
    (outside any transaction, as CONCURRENTLY needs)."""
    keys = [(LABEL, name) for name in sorted(CASES)]
    with django_db_blocker.unblock(), base_tables(connection):
        yield lint_migrations(case_loader(PACKAGE), keys, connection, LABEL)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_ported_case_gets_exactly_its_findings_and_severities(peer_report, case):
    found = {f.rule: f.severity for f in peer_report.findings if f.migration == case}
    assert found == EXPECTED[case]


def test_the_lint_agrees_with_every_verdict(peer_report):
    hits = flagged(peer_report)
    wrong = {
        name: module.VERDICT
        for name, module in CASES.items()
        if hits[name] != (module.VERDICT == "unsafe")
    }
    assert wrong == {}
    assert lines(peer_report)[-1] == "  disagreements: none"


def test_at_least_sixty_cases_from_every_peer_over_every_kind_of_operation():
    ported = [module for module in CASES.values() if module.PEERS]
    assert len(ported) >= 60
    assert {peer for module in ported for peer in module.PEERS} == set(PEERS)
    assert {name[:2] for name in CASES} == set(TOPICS)
    verdicts = {module.VERDICT for module in CASES.values()}
    assert verdicts == {"safe", "unsafe"}


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_each_kind_of_operation_is_tried_on_an_existing_and_on_a_new_table(topic):
    assert {_side(name) for name in CASES if name[:2] == topic} == {"existing", "new"}


def _side(name: str) -> str:
    """Which table a case works on, from its first comment line."""
    with open(CASES[name].__file__) as source:
        first = source.readline()
    return "new" if first.startswith("# A table created in this migration") else "existing"


def test_every_new_rule_fires_on_a_ported_case():
    fired = set().union(*EXPECTED.values())
    assert {
        "table-rewrite",
        "required-column-hidden",
        "exclusion-constraint",
        "wide-index",
        "enum-label-removed",
        "timeout-overridden",
    } <= fired


def test_a_squawk_finding_a_rule_knows_wrong_is_overruled_with_why(peer_report):
    overruled = {(o.migration, o.rule): o.why for o in peer_report.overruled}
    why = overruled["0203_alter_varchar_wider", "changing-column-type"]
    assert why.startswith("varchar(100) -> varchar(200) only lifts a limit: no rewrite")
    assert (
        "not volatile"
        in overruled["0109_add_column_immutable_db_default", "adding-field-with-default"]
    )
    assert (
        "created by this migration" in overruled["0307_new_table_rename_column", "renaming-column"]
    )
    assert "does not read it" in overruled["0405_drop_column_the_code_forgot", "ban-drop-column"]
    document = peer_report.as_dict()["overruled"]
    assert {"rule", "app", "migration", "operation", "why"} == set(document[0])


def test_a_volatile_default_is_told_from_a_stable_one_by_the_server(peer_report):
    (finding,) = [
        f for f in peer_report.findings if f.migration == "0107_add_column_volatile_db_default"
    ]
    assert "gen_random_uuid() is volatile" in finding.message
    assert finding.also == ["adding-field-with-default"]


def test_timeouts_the_deploy_sets_stay_excluded_and_their_overrides_are_reported(peer_report):
    for rule in ("require-lock-timeout", "require-statement-timeout"):
        assert "timeout-overridden" in EXCLUDED[rule]
    (finding,) = [
        f for f in peer_report.findings if f.migration == "0908_run_sql_disables_lock_timeout"
    ]
    assert (finding.rule, finding.severity, finding.sql) == (
        "timeout-overridden",
        "blocking",
        "SET LOCAL lock_timeout = 0;",
    )
    assert "lock_timeout none" in finding.message
