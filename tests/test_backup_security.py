"""Which pg_dump a backup uses, that the password appears nowhere, and that nothing of a
killed run is left behind.

Against the real server; see tests/backup_support.py.
"""

import os
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from americano.ops.pgtools import (
    FOLDER_PREFIX,
    ConnInfo,
    PgToolError,
    find_tool,
    sweep_leftovers,
    tool_version,
)
from tests.backup_support import (  # noqa: F401 (fixtures)
    SECRET,
    database_access,
    fake_tool,
    run,
    run_failing,
    scratch_fixture,
    server_major,
    url_of,
)


def test_a_pg_dump_older_than_the_server_is_refused(tmp_path, monkeypatch):
    old = fake_tool(tmp_path / "bin", "pg_dump", "13.9")
    monkeypatch.setenv("PG_DUMP", str(old))
    code, message, _ = run_failing("backup", "--dir", str(tmp_path / "backups"))
    assert code == 2 and "older than the server" in message and "PG_DUMP" in message
    assert not list((tmp_path / "backups").glob("*"))


def test_an_old_pg_dump_on_path_gives_way_to_the_embedded_one(tmp_path, monkeypatch):
    old = fake_tool(tmp_path / "bin", "pg_dump", "11.22")
    monkeypatch.delenv("PG_DUMP", raising=False)
    monkeypatch.setenv("PATH", f"{old.parent}{os.pathsep}{os.environ['PATH']}")
    assert tool_version(str(old)) == ("11.22", 11)
    chosen = find_tool("pg_dump", 18, "the server")
    assert chosen.major >= 18 and chosen.path != str(old)
    with pytest.raises(PgToolError, match="older than"):
        find_tool("pg_dump", 99, "the server")


def spy_tool(folder: Path, name: str, log: Path) -> Path:
    """A wrapper that logs its command line, environment and PGPASSFILE mode, then runs ``name``."""
    real = find_tool(name, server_major()).path
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(
        "#!/bin/sh\n"
        f'{{ echo "argv: $0 $*"; env; [ -n "$PGPASSFILE" ] && '
        f'echo "passfile-mode: $(stat -c %a "$PGPASSFILE")"; }} >> \'{log}\'\n'
        f'exec "{real}" "$@"\n'
    )
    path.chmod(0o755)
    return path


@pytest.mark.slow
def test_the_password_appears_nowhere(tmp_path, monkeypatch, scratch):
    log = tmp_path / "spy.log"
    for name, variable in (("pg_dump", "PG_DUMP"), ("pg_restore", "PG_RESTORE"), ("psql", "PSQL")):
        monkeypatch.setenv(variable, str(spy_tool(tmp_path / "bin", name, log)))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", SECRET)
    folder = tmp_path / "backups"

    outputs = [run("backup", "--dir", str(folder), "--restore-test")]
    outputs.append(run("backup", "--dir", str(folder), "--label", "j", "--format", "json"))
    dump = sorted(folder.glob("*.dump"))[0]
    outputs.append(run("backup", "--list", "--dir", str(folder)))
    outputs.append(run("backup", "--verify", str(dump)))
    target = url_of(scratch).replace("postgresql://postgres@", f"postgresql://postgres:{SECRET}@")
    assert SECRET in target
    outputs.append(run("restore", str(dump), "--target-url", target))
    outputs.append(run("restore", str(dump), "--target-url", target, "--force", "--format", "json"))
    missing = target.replace(scratch.settings_dict["NAME"], "no_such_database_here")
    code, message, _ = run_failing("restore", str(dump), "--target-url", missing)
    assert code == 2 and "does not exist" in message

    text = "\n".join(out + err for out, err in outputs) + message
    assert "Restored" in text and SECRET not in text
    for manifest in folder.glob("*.manifest.json"):
        assert SECRET not in manifest.read_text()
    spied = log.read_text()
    assert "argv: " in spied and "pg_dump" in spied and "psql" in spied
    assert SECRET not in spied  # neither on a command line nor in an environment
    assert "passfile-mode: 600" in spied
    assert not [line for line in spied.splitlines() if line.startswith("PGPASSWORD=")]
    passfiles = {
        line.split("=", 1)[1] for line in spied.splitlines() if line.startswith("PGPASSFILE=")
    }
    assert passfiles and not any(Path(path).exists() for path in passfiles)


def test_passfile_escapes_separators(tmp_path):
    conn = ConnInfo({"dbname": "x", "password": SECRET, "keepalives": "1"})
    with conn.child_env() as env:
        passfile = Path(env["PGPASSFILE"])
        assert passfile.read_text() == "*:*:*:*:s3cr3t\\:pa55\\\\word\n"
        assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
        assert "keepalives=1" in Path(env["PGSERVICEFILE"]).read_text()
        assert SECRET not in "".join(env.values())
    assert not passfile.exists()
    assert SECRET not in repr(conn) and SECRET not in conn.display()
    assert conn.scrub(f"error near {SECRET}") == "error near ***"


def test_leftovers_of_dead_processes_are_swept_and_no_others(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.Popen(["true"])  # a pid that is no longer running
    ended.wait()
    dead = tmp_path / f"{FOLDER_PREFIX}{ended.pid}-abc"
    alive = tmp_path / f"{FOLDER_PREFIX}{os.getpid()}-def"
    unrelated = tmp_path / f"{FOLDER_PREFIX}notapid"
    for folder in (dead, alive, unrelated):
        folder.mkdir()
        (folder / "pgpass").write_text(f"*:*:*:*:{SECRET}\n")
    sweep_leftovers()
    assert not dead.exists() and alive.exists() and unrelated.exists()
