"""``migrate_deploy`` applies pending migrations, reports them, and stops cleanly on failure."""

import json

import pytest

from tests.commandline import assert_one_line_error, manage
from tests.deploy_support import (
    LOCK_KEY,
    PRODUCTION,
    SETTINGS,
    applied,
    checksums,
    columns,
    connect,
    deploy,
    query,
)

pytestmark = pytest.mark.slow  # every test runs manage.py in a child process


def test_nothing_to_do_is_reported_at_once_even_in_production(deploy_db, tmp_path):
    _, url, env = deploy_db
    report, check = tmp_path / "deploy.json", tmp_path / "queries.sql"
    check.write_text("SELECT id, label FROM deploy_items WHERE id = $1;\n")
    result, document = deploy(
        url, env, "--report", str(report), "--check-sql", str(check), **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert document["outcome"] == "nothing-to-do"
    assert document["applied"] == []
    # No safety copy, no drift check and no shadow, though production asks for them when
    # there is work; the client statements are prepared on the database as it is.
    assert document["options"]["backup"] == "dump" and document["options"]["verify_drift"]
    assert document["backup"] is None and document["check_sql_shadow"] is None
    assert document["verification"]["drift"] is None
    assert document["verification"]["check_sql"] == {"ok": True, "failures": []}
    assert json.loads(report.read_text()) == document


def test_a_successful_deploy_leaves_the_prisma_clients_schema_as_its_artifact(deploy_db, tmp_path):
    _, url, env = deploy_db
    artifact = tmp_path / "schema.prisma"
    result, document = deploy(url, env, "--prisma-schema", str(artifact))
    assert result.returncode == 0, result.stderr
    assert document["prisma_schema"] == {"path": str(artifact), "changed": True}
    exported = manage("export_prisma_schema", "--check", str(artifact), env=env, DATABASE_URL=url)
    assert exported.returncode == 0, exported.stdout  # exactly what the export writes
    written = artifact.stat().st_mtime_ns
    result, document = deploy(url, env, "--prisma-schema", str(artifact))
    assert document["prisma_schema"]["changed"] is False
    assert artifact.stat().st_mtime_ns == written  # unchanged: not rewritten


def test_plan_apply_rerun_then_an_edited_migration_is_refused(deploy_db):
    _, url, env = deploy_db
    result, document = deploy(url, env, "--plan", scenario="add_column")
    assert result.returncode == 0, result.stderr
    assert document["outcome"] == "planned"
    [planned] = document["plan"]
    assert planned["migration"] == "deploy_app.0001_add_note"
    assert "ALTER TABLE deploy_items ADD COLUMN note text" in "\n".join(planned["sql"])
    assert document["lint"]["clean"] and document["lint"]["migrations"] == 1
    assert document["lock_wait_s"] is None  # no lock taken
    assert applied(url, env) == [] and "note" not in columns(url, env)

    result, document = deploy(url, env, scenario="add_column")
    assert result.returncode == 0, result.stderr
    assert document["outcome"] == "applied"
    assert document["applied"] == ["deploy_app.0001_add_note"]
    [run] = document["migrations"]
    assert (run["app"], run["name"], run["retries"], run["atomic"]) == (
        "deploy_app",
        "0001_add_note",
        0,
        True,
    )
    assert document["verification"]["ok"] and document["verification"]["drift"] is None
    assert "note" in columns(url, env)
    assert checksums(url, env) == ["0001_add_note"]

    result, document = deploy(url, env, scenario="add_column")
    assert result.returncode == 0 and document["outcome"] == "nothing-to-do"

    result, document = deploy(url, env, scenario="add_column_edited")
    assert_one_line_error(result, 2)
    assert "deploy_app.0001_add_note (modified)" in result.stderr
    assert document["outcome"] == "refused"
    assert document["error"]["message"] in result.stderr


def test_a_failing_migration_stops_at_the_last_good_one(deploy_db, tmp_path):
    _, url, env = deploy_db
    report = tmp_path / "deploy.json"
    result = manage(
        "migrate_deploy",
        "--report",
        str(report),
        env=env,
        settings=SETTINGS,
        DATABASE_URL=url,
        AMERICANO_DEPLOY_SCENARIO="failing",
    )
    assert_one_line_error(result, 1)
    assert "deploy_app.0002_divide_by_zero" in result.stderr
    assert "applied       deploy_app.0001_add_flag" in result.stdout
    assert "FAILED        deploy_app.0002_divide_by_zero" in result.stdout
    document = json.loads(report.read_text())
    assert document["outcome"] == "failed"
    assert document["applied"] == ["deploy_app.0001_add_flag"]
    assert document["failed"]["migration"] == "deploy_app.0002_divide_by_zero"
    assert document["failed"]["error"] == "division by zero"
    assert document["failed"]["sqlstate"] == "22012"
    # The first stays applied and recorded; the failed one left nothing; the database works.
    assert applied(url, env) == ["0001_add_flag"]
    assert checksums(url, env) == ["0001_add_flag"]
    assert columns(url, env) == ["id", "label", "flag"]
    query(url, env, "INSERT INTO deploy_items (label, flag) VALUES ('still usable', true)")


def test_a_lint_finding_is_refused_before_anything_is_applied(deploy_db):
    _, url, env = deploy_db
    result, document = deploy(url, env, scenario="lint_finding")
    assert_one_line_error(result, 2)
    assert "renaming-column" in result.stderr
    assert document["outcome"] == "refused"
    assert [finding["rule"] for finding in document["lint"]["failing"]] == ["renaming-column"]
    assert applied(url, env) == [] and "label" in columns(url, env)


def test_a_migration_that_breaks_a_client_query_is_refused(deploy_db, tmp_path):
    _, url, env = deploy_db
    check = tmp_path / "queries.sql"
    check.write_text(
        "-- the web app's raw queries\n"
        "SELECT id FROM deploy_items\n  WHERE id = $1;\n\n"
        "SELECT label FROM deploy_items WHERE id = $1;\n"
    )
    result, document = deploy(url, env, "--check-sql", str(check), scenario="drop_column")
    assert_one_line_error(result, 2)
    assert "line 5" in result.stderr and 'column "label" does not exist' in result.stderr
    assert document["outcome"] == "refused"
    [failure] = document["check_sql_shadow"]["failures"]
    assert failure["line"] == 5
    # Refused before anything touched the database: no migration, the column still there.
    assert applied(url, env) == [] and "label" in columns(url, env)


def test_a_server_without_pgvector_is_refused(plain_postgres):
    result, document = deploy(plain_postgres, {})
    assert_one_line_error(result, 2)
    assert "pgvector" in result.stderr
    assert document["outcome"] == "refused"


def test_holding_the_lock_past_lock_wait_exits_3_naming_the_holder(deploy_db):
    _, url, env = deploy_db
    with connect(url, env, application_name="the other deployer") as holder:
        holder.execute(f"SELECT pg_advisory_lock({LOCK_KEY})")
        pid = holder.info.backend_pid
        result, document = deploy(url, env, "--lock-wait", "0.5", scenario="add_column")
    assert_one_line_error(result, 3)
    assert f"server pid {pid}" in result.stderr and "'the other deployer'" in result.stderr
    assert document["outcome"] == "lock-timeout"
    assert applied(url, env) == []
