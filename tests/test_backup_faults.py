"""``backup`` and ``restore`` stopped at a random point by SIGTERM or SIGKILL leave nothing
behind: no password file, no pg_dump, pg_restore or psql, no half backup, no half restore.

Real ``manage.py`` children with a password in DATABASE_URL, real signals, and a database
big enough (one table of 400 000 rows) that pg_dump and the restore take a second or two,
so that the random point falls while the client programs run. See tests/backup_support.py.
"""

import random
import signal
import time
from pathlib import Path

import pytest

from americano.ops import backup
from americano.ops.backup.contents import session
from tests.backup_support import (  # noqa: F401 (fixtures)
    database_access,
    database_with,
    password_url,
    run,
    secrets_left,
    start_manage,
    url_of,
)
from tests.commandline import assert_one_line_error, finish, processes_left, wait_for

pytestmark = pytest.mark.slow  # whole command lines, killed

BIG_ROWS = 400_000
BIG_SQL = f"""
CREATE TABLE big AS
SELECT i AS id, md5(i::text) || repeat('x', 200) AS payload FROM generate_series(1, {BIG_ROWS}) i
"""
BEFORE = {"public.keep_me": 3}
RESTORED = {"public.big": BIG_ROWS}
CLIENT_PROGRAMS = {"pg_dump", "pg_restore", "psql"}


@pytest.fixture(name="big", scope="module")
def big_fixture(django_db_setup, django_db_blocker):
    with database_with(django_db_blocker, BIG_SQL) as made:
        yield made


@pytest.fixture(name="big_backup", scope="module")
def big_backup_fixture(big, django_db_blocker, tmp_path_factory) -> Path:
    with django_db_blocker.unblock():
        made = backup.create_backup(big, tmp_path_factory.mktemp("big"), "big")
    assert made.ok, made.verification.problems
    return made.path


@pytest.fixture(name="target")
def target_fixture(django_db_blocker):
    """A database with a table of its own, which a restore --force replaces."""
    with database_with(
        django_db_blocker, "CREATE TABLE keep_me (n int); INSERT INTO keep_me VALUES (1), (2), (3)"
    ) as made:
        yield made


def running(process) -> set[str]:
    """The client programs at work in ``process``'s group (not those asked for --version)."""
    return {
        Path(argv[0]).name
        for argv in processes_left(process.pid).values()
        if argv and argv[1:] != ["--version"]
    }


def signal_at_random(process, program: str, signum: int, latest: float) -> bool:
    """Wait until ``program`` runs in ``process``'s group, then send ``signum`` after a random
    delay of up to ``latest`` seconds. Whether ``program`` still ran just before the signal."""
    wait_for(lambda: program in running(process) or process.poll() is not None)
    delay = random.uniform(0, latest)
    print(f"signal {signal.Signals(signum).name} {delay:.3f} s after {program} started")
    time.sleep(delay)
    still = program in running(process)
    process.send_signal(signum)
    return still


def assert_nothing_left_running(process) -> None:
    """The command's children are gone (after a SIGKILL they die with it: PDEATHSIG)."""
    wait_for(lambda: not running(process) & CLIENT_PROGRAMS, timeout=10)


def test_sigterm_stops_a_backup_and_removes_its_files(big, tmp_path):
    folder, tmpdir = tmp_path / "backups", tmp_path / "tmp"
    process = start_manage(
        "backup", "--dir", str(folder), "--restore-test",
        database_url=password_url(big), tmpdir=tmpdir,
    )  # fmt: skip
    signal_at_random(process, "pg_dump", signal.SIGTERM, latest=2.5)
    result = finish(process)

    assert_nothing_left_running(process)
    assert secrets_left(tmpdir) == []
    assert not list(folder.glob("*.partial"))
    with session(big) as db:  # the restore test's scratch database is dropped too
        assert not db.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            (f"americano_restoretest_{process.pid}_%",),
        ).fetchall()
    dumps = list(folder.glob("*.dump"))
    if result.returncode in (0, -signal.SIGTERM):  # done before it, or while printing
        assert len(dumps) == 1 and backup.verify_backup(dumps[0]).ok
        return
    assert_one_line_error(result, 2)
    assert "interrupted (SIGTERM)" in result.stderr
    if "no backup was made; its .partial files were removed" in result.stderr:
        assert dumps == []
    else:
        assert "is made and verified; its restore test was stopped" in result.stderr
        assert len(dumps) == 1 and backup.verify_backup(dumps[0]).ok


def test_sigkill_of_a_backup_takes_pg_dump_along_and_the_next_run_sweeps(big, tmp_path):
    folder, tmpdir = tmp_path / "backups", tmp_path / "tmp"
    process = start_manage(
        "backup", "--dir", str(folder), database_url=password_url(big), tmpdir=tmpdir
    )
    dumping = signal_at_random(process, "pg_dump", signal.SIGKILL, latest=0.8)
    process.wait()
    assert_nothing_left_running(process)
    if dumping:  # pg_dump ran: its password file was there, and the kill left it
        assert [path.name for path in secrets_left(tmpdir)].count("pgpass") == 1

    listing = finish(
        start_manage(
            "backup", "--list", "--dir", str(folder), database_url=url_of(big), tmpdir=tmpdir
        )
    )
    assert listing.returncode == 0, listing.stderr
    assert secrets_left(tmpdir) == []
    assert not list(folder.glob("*.dump"))  # a killed backup never gets a final name
    assert listing.stdout.startswith("0 backups")  # nor is its .partial file listed


def restore_outcome(target) -> dict:
    """The tables of ``target``: as before the restore, or as the backup says, never between."""
    counts = backup.table_row_counts(target)
    assert counts in (BEFORE, RESTORED)
    return counts


def test_sigterm_stops_a_restore_and_the_target_is_as_before(big_backup, target, tmp_path):
    tmpdir = tmp_path / "tmp"
    process = start_manage(
        "restore", str(big_backup), "--force", database_url=password_url(target), tmpdir=tmpdir
    )
    signal_at_random(process, "psql", signal.SIGTERM, latest=1.0)
    result = finish(process)

    assert_nothing_left_running(process)
    assert secrets_left(tmpdir) == []
    outcome = restore_outcome(target)
    if result.returncode in (0, -signal.SIGTERM):  # done before it, or while printing
        assert outcome == RESTORED
        return
    assert_one_line_error(result, 2)
    assert "interrupted (SIGTERM)" in result.stderr
    if "the restore was stopped before it committed" in result.stderr:
        assert outcome == BEFORE
    else:
        assert "is restored, but was not compared" in result.stderr
        assert outcome == RESTORED


def test_sigkill_of_a_restore_rolls_it_back_and_leaves_no_lock(big_backup, target, tmp_path):
    tmpdir = tmp_path / "tmp"
    process = start_manage(
        "restore", str(big_backup), "--force", database_url=password_url(target), tmpdir=tmpdir
    )
    restoring = signal_at_random(process, "psql", signal.SIGKILL, latest=0.5)
    process.wait()
    assert_nothing_left_running(process)
    outcome = restore_outcome(target)
    if restoring:
        assert outcome == BEFORE  # psql died with it: the server rolled the transaction back

    listing = finish(
        start_manage(
            "backup", "--list", "--dir", str(tmp_path), database_url=url_of(target), tmpdir=tmpdir
        )
    )
    assert listing.returncode == 0, listing.stderr
    assert secrets_left(tmpdir) == []
    # The killed restore's lock went with its session: the next restore does not wait.
    out, _ = run(
        "restore", str(big_backup), "--target-url", url_of(target), "--force", "--lock-wait", "0"
    )
    assert "Restored" in out and backup.table_row_counts(target) == RESTORED
