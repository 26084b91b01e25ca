"""``migrate_deploy`` among other sessions: deployers at once, long transactions, a kill."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from tests.commandline import ROOT, assert_one_line_error, finish, manage, start_manage, wait_for
from tests.deploy_support import (
    FAST,
    SETTINGS,
    applied,
    checksums,
    columns,
    connect,
    deploy,
    deploy_lock_holders,
    deployer_sessions,
    document_of,
    finished,
    query,
    start_deploy,
)

pytestmark = pytest.mark.slow  # every test runs deployers in child processes

PARITY = ROOT.parent / "shared" / "tools" / "schema_parity.py"


def test_four_deployers_at_once_apply_the_history_once(scratch_database):
    _, url, env = scratch_database
    deployers = [
        start_manage("migrate_deploy", "--format", "json", env=env, DATABASE_URL=url)
        for _ in range(4)
    ]
    results = [finish(process) for process in deployers]
    documents = [document_of(result) for result in results]
    assert [result.returncode for result in results] == [0] * 4, [r.stderr for r in results]
    winners = [document for document in documents if document["applied"]]
    others = [document for document in documents if not document["applied"]]
    assert len(winners) == 1
    assert all(document["outcome"] == "nothing-to-do" for document in others)
    # They started together: each of the others waited for the one that applied.
    assert all(document["waited_for"] is not None for document in others)
    parity = subprocess.run(
        [sys.executable, str(PARITY), url], env=env, capture_output=True, text=True, timeout=120
    )
    assert parity.returncode == 0 and "0 differences" in parity.stdout, parity.stdout[-2000:]


class LockHolder:
    """A transaction that reads ``deploy_items`` and so holds a lock an ALTER TABLE waits for."""

    def __init__(self, url: str, env: dict) -> None:
        self.db = connect(url, env, autocommit=False)
        self.db.execute("SELECT count(*) FROM deploy_items")

    def release(self) -> None:
        self.db.rollback()
        self.db.close()


class Reader(threading.Thread):
    """Queries ``deploy_items`` over and over, noting how long each one took."""

    def __init__(self, url: str, env: dict) -> None:
        super().__init__(daemon=True)
        self.url, self.env = url, env
        self.stop = threading.Event()
        self.seconds: list[float] = []

    def run(self) -> None:
        with connect(self.url, self.env) as db:
            while not self.stop.is_set():
                started = time.monotonic()
                db.execute("SELECT count(*) FROM deploy_items").fetchone()
                self.seconds.append(time.monotonic() - started)
                time.sleep(0.01)


def test_a_lock_timeout_is_tried_again_until_the_transaction_ends(deploy_db):
    _, url, env = deploy_db
    holder = LockHolder(url, env)
    try:
        deployer = start_deploy(url, env, *FAST, scenario="add_column")
        wait_for(lambda: deployer_sessions(url, env, "wait_event_type = 'Lock'"))
        time.sleep(0.5)  # more than two lock timeouts
    finally:
        holder.release()
    result, document = finished(deployer)
    assert result.returncode == 0, result.stderr
    [run] = document["migrations"]
    assert run["retries"] >= 1
    assert "note" in columns(url, env)


def test_a_lock_never_released_fails_cleanly_and_never_blocks_readers_long(deploy_db):
    _, url, env = deploy_db
    holder = LockHolder(url, env)
    reader = Reader(url, env)
    reader.start()
    try:
        result, document = deploy(url, env, *FAST, "--retries", "4", scenario="add_column")
    finally:
        reader.stop.set()
        reader.join()
        holder.release()
    assert result.returncode == 1, result.stderr
    assert document["failed"]["migration"] == "deploy_app.0001_add_note"
    assert document["failed"]["sqlstate"] == "55P03"
    assert document["failed"]["retries"] == 3
    assert applied(url, env) == [] and "note" not in columns(url, env)
    # Queued behind the ALTER TABLE, a reader waited at most its lock timeout (200 ms), never
    # for the transaction that outlived the whole deployment.
    assert reader.seconds and max(reader.seconds) < 1.0, max(reader.seconds)


def test_an_index_built_concurrently_while_another_deployer_waits(deploy_db):
    _, url, env = deploy_db
    first = start_deploy(url, env, scenario="concurrent_index")
    wait_for(lambda: deploy_lock_holders(url, env))
    second = start_deploy(url, env, scenario="concurrent_index")
    (one, built), (other, waited) = finished(first, 60), finished(second, 60)
    assert (one.returncode, other.returncode) == (0, 0), one.stderr + other.stderr
    assert built["applied"] == ["deploy_app.0001_index_label"]
    assert waited["outcome"] == "nothing-to-do" and waited["waited_for"] is not None
    [(valid,)] = query(
        url,
        env,
        "SELECT indisvalid FROM pg_index WHERE indexrelid = 'deploy_items_label_idx'::regclass",
    )
    assert valid


def test_a_deployer_killed_mid_migration_leaves_a_database_a_rerun_completes(deploy_db):
    _, url, env = deploy_db
    deployer = start_deploy(url, env, *FAST, scenario="slow")
    wait_for(
        lambda: deployer_sessions(url, env, "query LIKE 'SELECT pg_sleep%%' AND state = 'active'")
    )
    os.killpg(deployer.pid, signal.SIGKILL)
    deployer.communicate()
    # The lock went with the killed session; the migration under way was rolled back.
    wait_for(lambda: not deploy_lock_holders(url, env), timeout=10)
    assert applied(url, env) == []
    result, document = deploy(url, env, *FAST, scenario="slow")
    assert result.returncode == 0, result.stderr
    assert document["applied"] == ["deploy_app.0001_slow_column"]
    assert "slow" in columns(url, env)
    assert applied(url, env) == checksums(url, env) == ["0001_slow_column"]
    assert document["verification"]["ok"]


def test_migrate_outside_development_gives_up_on_a_lock_too(deploy_db):
    _, url, env = deploy_db
    holder = LockHolder(url, env)
    try:
        result = manage(
            "migrate",
            env=env,
            settings=SETTINGS,
            DATABASE_URL=url,
            AMERICANO_DEPLOY_SCENARIO="add_column",
            AMERICANO_ENV="staging",
            DJANGO_SECRET_KEY="deploy-test-only",
            AMERICANO_LOCK_TIMEOUT="200ms",
        )
    finally:
        holder.release()
    assert_one_line_error(result, 2)
    assert "lock timeout" in result.stderr
    assert "note" not in columns(url, env)
