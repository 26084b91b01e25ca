"""``migrate_deploy``'s safety copies, and its refusal to lock through a transaction pooler."""

import hashlib
import subprocess
from pathlib import Path

import pytest

from tests.commandline import assert_one_line_error, wait_for
from tests.dbutil import pg_program
from tests.deploy_support import (
    PRODUCTION,
    applied,
    columns,
    deploy,
    query,
)

pytestmark = pytest.mark.slow  # every test runs manage.py in a child process


def test_production_dumps_first_and_checks_drift_afterwards(deploy_db, tmp_path):
    _, url, env = deploy_db
    result, document = deploy(
        url, env, "--backup-dir", str(tmp_path), scenario="add_column", **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    backup = document["backup"]
    assert backup["kind"] == "dump"
    dump = Path(backup["path"])
    assert dump.parent == tmp_path and dump.name.endswith("_pre-deploy.dump")
    assert hashlib.sha256(dump.read_bytes()).hexdigest() == backup["sha256"]
    assert backup["size"] == dump.stat().st_size
    drift = document["verification"]["drift"]
    assert drift is not None and drift["clean"], drift


def test_a_restore_point_is_refused_without_wal_archiving(deploy_db):
    _, url, env = deploy_db
    result, document = deploy(url, env, "--backup", "restore-point", scenario="add_column")
    assert_one_line_error(result, 2)
    assert "archive_mode=off" in result.stderr
    assert document["outcome"] == "refused" and document["backup"] is None
    assert applied(url, env) == [] and "note" not in columns(url, env)


def test_a_restore_point_is_made_in_the_archived_wal(archiving_server):
    server_url, archive = archiving_server
    query(server_url, {}, "CREATE DATABASE deployed")
    url = server_url.replace("/postgres?", "/deployed?")
    result, document = deploy(url, {}, "--backup", "restore-point")
    assert result.returncode == 0, result.stderr
    point = document["backup"]
    assert point["kind"] == "restore-point" and point["name"].startswith("americano-deploy-")
    assert document["applied"]  # the whole history, after the point
    # The point is in the WAL the server archived, where a recovery would look for it.
    query(url, {}, "SELECT pg_switch_wal()")
    segment = archive / point["wal_file"]
    wait_for(segment.exists, timeout=30)
    dump = subprocess.run(
        [pg_program("pg_waldump"), str(segment)], capture_output=True, text=True, timeout=60
    )
    assert f"RESTORE_POINT {point['name']}" in dump.stdout


def test_a_transaction_pooler_is_refused_and_direct_url_bypasses_it(deploy_db, pgbouncer):
    name, url, env = deploy_db
    pooled = pgbouncer(name)
    result, document = deploy(pooled, env, scenario="add_column")
    assert_one_line_error(result, 2)
    assert "--direct-url" in result.stderr and "pooler" in result.stderr
    assert document["outcome"] == "refused"
    assert applied(url, env) == []

    result, document = deploy(pooled, env, "--direct-url", url, scenario="add_column")
    assert result.returncode == 0, result.stderr
    assert document["applied"] == ["deploy_app.0001_add_note"]
    assert "pgbouncer-" not in document["database"]  # locked and migrated directly
