"""Two runs that collide: restores into one target take turns, a backup during ``migrate``
is consistent, two prunes of one folder never delete a backup twice.

Real ``manage.py`` children on the real server; see tests/backup_support.py. Where the
collision is a matter of timing, the test forces it: it holds the lock itself until both
runs wait for it.
"""

import datetime as dt
import fcntl
import json
import os
from pathlib import Path

import pytest
from django.db import connection

from americano.ops import backup
from americano.ops.backup.contents import session
from americano.ops.databases import throwaway_database
from americano.ops.pgtools import ConnInfo
from tests.backup_support import (  # noqa: F401 (fixtures)
    database_access,
    make_backups,
    run_failing,
    scratch_fixture,
    seeded_backup_fixture,
    seeded_fixture,
    start_manage,
    url_of,
)
from tests.commandline import finish, wait_for

RESTORE_SESSIONS = """
    SELECT application_name FROM pg_stat_activity
    WHERE datname = current_database() AND application_name LIKE 'americano restore (pid %%)'
"""


def restores_waiting(database) -> set[int]:
    """The pids of the processes whose restore sessions are in ``database``."""
    with session(database) as db:
        names = [row[0] for row in db.execute(RESTORE_SESSIONS)]
    return {int(name.rsplit(" ", 1)[1].rstrip(")")) for name in names}


def test_a_restore_gives_up_after_lock_wait_naming_the_holder(seeded_backup, scratch):
    with backup.restore_lock(ConnInfo.from_django(scratch), 0, "scratch"):
        code, message, _ = run_failing(
            "restore", str(seeded_backup.path), "--target-url", url_of(scratch),
            "--lock-wait", "0.3",
        )  # fmt: skip
    assert code == 2 and "another restore into" in message and "holds its lock" in message
    assert f"'americano restore (pid {os.getpid()})'" in message and "server pid" in message
    assert "--lock-wait 0.3" in message
    assert backup.inspect_target(scratch).empty


@pytest.mark.slow  # two restores in child processes
def test_two_restores_into_one_target_take_turns_and_both_succeed(seeded_backup, scratch, tmp_path):
    with backup.restore_lock(ConnInfo.from_django(scratch), 0, "scratch"):
        restores = [
            start_manage(
                "restore", str(seeded_backup.path), "--force", "--format", "json",
                database_url=url_of(scratch), tmpdir=tmp_path / "tmp",
            )
            for _ in range(2)
        ]  # fmt: skip
        wait_for(lambda: restores_waiting(scratch) >= {process.pid for process in restores})
    results = [finish(process) for process in restores]

    assert [result.returncode for result in results] == [0, 0], [r.stderr for r in results]
    reports = [json.loads(result.stdout) for result in results]
    assert all(report["ok"] and report["seconds"]["lock"] > 0 for report in reports)
    assert sorted(bool(report["dropped"]) for report in reports) == [False, True]
    assert backup.table_checksums(scratch) == seeded_backup.checksums


@pytest.mark.slow  # migrate and backup in child processes
def test_a_backup_during_migrate_matches_its_manifest(scratch, tmp_path):
    def applied() -> int:
        with session(scratch) as db:
            if db.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
                return 0
            return db.execute("SELECT count(*) FROM django_migrations").fetchone()[0]

    url, tmpdir = url_of(scratch), tmp_path / "tmp"
    migrate = start_manage("migrate", database_url=url, tmpdir=tmpdir)
    wait_for(lambda: applied() >= 3 or migrate.poll() is not None, timeout=60)
    assert migrate.poll() is None, finish(migrate).stderr  # it is still migrating
    made = start_manage(
        "backup", "--dir", str(tmp_path), "--format", "json", database_url=url, tmpdir=tmpdir
    )
    backed, migrated = finish(made), finish(migrate)
    assert migrated.returncode == 0, migrated.stderr
    assert backed.returncode == 0, backed.stderr
    report = json.loads(backed.stdout)
    print(f"backed up with {report['migrations']} of {applied()} migrations applied")
    assert report["verification"]["ok"] and report["migrations"] >= 3

    # The archive holds exactly what the manifest says: tables, rows and migrations.
    with throwaway_database(connection, "test") as second:
        restored = backup.restore_backup(Path(report["file"]), second)
    assert restored.ok, restored.verification.problems
    assert restored.migrations.applied == report["migrations"]


def waiting_for_flock(folder: Path) -> int:
    """How many processes wait for the ``flock`` of ``folder`` (from /proc/locks)."""
    inode = f":{folder.stat().st_ino} "
    return sum(
        "->" in line and inode in line for line in Path("/proc/locks").read_text().splitlines()
    )


@pytest.mark.slow  # two prunes in child processes
def test_two_prunes_at_once_delete_each_backup_once(tmp_path):
    folder = tmp_path / "backups"
    ages = [age + 0.25 for age in range(300)]
    made = make_backups(folder, ages, dt.datetime.now(dt.UTC))
    stray = folder / "99999999999999_x.dump"
    stray.write_bytes(b"PGDMP")

    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # both start while this test holds the folder
        prunes = [
            start_manage(
                "backup", "--prune", "--dir", str(folder), "--format", "json",
                database_url=url_of(connection), tmpdir=tmp_path / "tmp",
            )
            for _ in range(2)
        ]  # fmt: skip
        wait_for(lambda: waiting_for_flock(folder) == 2)
    finally:
        os.close(descriptor)
    results = [finish(process) for process in prunes]

    assert [result.returncode for result in results] == [0, 0], [r.stderr for r in results]
    deleted = [set(json.loads(result.stdout)["deleted"]) for result in results]
    assert not deleted[0] & deleted[1]
    assert deleted[0] | deleted[1] == {str(made[age]) for age in ages if age > 30}
    assert sorted(folder.glob("*.dump")) == sorted(
        [stray, *(made[age] for age in ages if age < 30)]
    )
