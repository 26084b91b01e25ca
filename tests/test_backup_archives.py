"""``manage.py backup``: making an archive, its manifest, and reading archives back.

Against the real server; see tests/backup_support.py for the seeded archive.
"""

import json
import stat
import subprocess
from pathlib import Path

from django.db import connection

from americano.core import progress
from americano.ops import backup
from americano.ops.pgtools import find_tool
from tests.backup_support import (  # noqa: F401 (fixtures)
    database_access,
    flip_byte,
    run,
    run_failing,
    scratch_fixture,
    seeded_backup_fixture,
    seeded_fixture,
    server_major,
    source,
    url_of,
)
from tests.commandline import assert_one_line_error, manage

# -- round trip ----------------------------------------------------------------------------


def test_round_trip_keeps_every_row(seeded_backup, scratch):
    manifest = seeded_backup.manifest
    counts = seeded_backup.counts
    assert manifest["tables"] == counts
    assert counts["public.reviews"] == 500 and counts["public.content_chunks"] == 25
    assert manifest["migrations"] == backup.applied_migrations(connection)
    assert json.loads(seeded_backup.manifest_path.read_text()) == manifest

    out, _ = run(
        "restore", str(seeded_backup.path), "--target-url", url_of(scratch), "--format", "json"
    )
    report = json.loads(out)
    assert report["ok"] and report["restored"] and report["atomic"]
    assert report["dropped"] is None
    assert report["migrations"]["pending"] == [] and report["migrations"]["unknown"] == []
    assert backup.table_row_counts(scratch) == counts
    assert backup.table_checksums(scratch) == seeded_backup.checksums


def test_backup_command_text_and_json(tmp_path):
    out, _ = run("backup", "--dir", str(tmp_path), "--label", "pre-migrate", "--restore-test")
    assert "Backed up" in out and "restore test  ok" in out
    dumps = sorted(tmp_path.glob("*_pre-migrate.dump"))
    assert len(dumps) == 1
    assert stat.S_IMODE(dumps[0].stat().st_mode) == 0o600
    assert backup.manifest_path_for(dumps[0]).is_file()
    assert not list(tmp_path.glob("*.partial"))

    out, _ = run("backup", "--dir", str(tmp_path), "--label", "json", "--format", "json")
    report = json.loads(out)
    assert report["action"] == "backup" and report["ok"]
    assert report["tables"] >= 87 and report["rows"] == sum(
        backup.table_row_counts(connection).values()
    )
    assert report["verification"]["ok"] and report["restore_test"] is None
    assert set(report) >= {"file", "manifest", "sha256", "size", "pg_dump", "seconds"}

    out, _ = run("backup", "--dir", str(tmp_path), "--list", "--format", "json")
    listing = json.loads(out)
    assert [Path(entry["file"]).name for entry in listing["backups"]] == sorted(
        (path.name for path in tmp_path.glob("*.dump")), reverse=True
    )
    assert all(entry["problem"] is None for entry in listing["backups"])

    out, _ = run("backup", "--verify", report["file"], "--restore-test", "--format", "json")
    verified = json.loads(out)
    assert verified["ok"] and verified["restore_test"]["ok"]


def test_manifest_is_complete(seeded_backup):
    manifest = seeded_backup.manifest
    assert manifest["format"] == "americano-backup" and manifest["manifest_version"] == 1
    assert seeded_backup.path.name == manifest["file"]
    assert manifest["dump"]["size"] == seeded_backup.path.stat().st_size
    assert manifest["server"]["version_num"] >= 140000
    assert {"learning", "content", "behavior"} <= set(manifest["migrations"])
    assert {"pg_dump", "pg_restore", "python", "django"} <= set(manifest["tools"])
    assert manifest["timings"]["dump_seconds"] > 0
    assert "password" not in manifest["database"]


def test_the_manifest_file_reads_back_as_written(seeded_backup):
    """The typed manifest writes the file's keys in their order, and reads older ones."""
    text = seeded_backup.manifest_path.read_text()
    loaded = backup.read_manifest(seeded_backup.path)
    assert json.dumps(loaded.to_json(), indent=2) + "\n" == text
    assert loaded.rows == seeded_backup.manifest["rows"]
    assert loaded.created_at.strftime("%Y%m%d%H%M%S") == seeded_backup.path.name[:14]

    # Only what verification needs is required: a bare manifest still loads.
    bare = {
        "format": "americano-backup",
        "manifest_version": 1,
        "dump": {"sha256": "0" * 64, "size": 13},
        "tables": {"public.x": 2},
    }
    manifest = backup.Manifest.from_json(bare)
    assert manifest.server is None and manifest.tools is None and manifest.rows == 2
    for broken, problem in (
        ({**bare, "manifest_version": 2}, "manifest version 2 is not supported"),
        ({**bare, "tables": []}, "the manifest has no size or no table counts"),
        ({**bare, "server": {"version": 18}}, "the manifest's server has no version_num"),
    ):
        try:
            backup.Manifest.from_json(broken)
        except backup.ManifestError as error:
            assert str(error) == problem
        else:
            raise AssertionError(f"{broken} was accepted")


def test_a_backup_reports_its_progress(tmp_path):
    """pg_dump's stderr is read in another thread: its reports reach the caller's sink."""
    steps = []
    with progress.reporting_to(steps.append):
        made = backup.create_backup(connection, tmp_path, "progress")
    assert made.ok
    assert steps and {step.task for step in steps} == {"pg_dump"}
    assert all(0 <= step.done <= step.total for step in steps)
    assert {step.detail for step in steps} >= {"public.reviews", "public.users"}


# -- corrupt files -------------------------------------------------------------------------


def test_one_flipped_byte_fails_verify_and_restore(seeded_backup, scratch):
    path = seeded_backup.path
    flip_byte(path, path.stat().st_size // 2)

    verification = backup.verify_backup(path)
    assert not verification.ok
    assert any("sha256" in problem for problem in verification.problems)
    code, message, _ = run_failing("backup", "--verify", str(path))
    assert code == 1 and "failed verification" in message

    code, message, _ = run_failing("restore", str(path), "--target-url", url_of(scratch))
    assert code == 1 and "sha256" in message
    assert backup.inspect_target(scratch).empty


def test_flipped_byte_in_the_header_is_caught(seeded_backup):
    flip_byte(seeded_backup.path, 2)
    verification = backup.verify_backup(seeded_backup.path)
    assert not verification.ok and "not a pg_dump archive" in verification.problems[0]


def test_truncated_file(seeded_backup, scratch):
    path = seeded_backup.path
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 100])
    verification = backup.verify_backup(path)
    assert not verification.ok and "truncated" in verification.problems[0]
    code, message, out = run_failing(
        "restore", str(path), "--target-url", url_of(scratch), "--format", "json"
    )
    assert code == 1 and "truncated" in message
    assert json.loads(out)["restored"] is False
    assert backup.inspect_target(scratch).empty


def test_wrong_file_types(seeded_backup, tmp_path, scratch):
    manifest = seeded_backup.manifest_path.read_text()
    text = tmp_path / "20250101000000_notes.dump"
    text.write_text("-- PostgreSQL database dump\nCREATE TABLE x ();\n")
    backup.manifest_path_for(text).write_text(manifest)
    verification = backup.verify_backup(text)
    assert not verification.ok and "not a pg_dump archive" in verification.problems[0]
    code, _, _ = run_failing("restore", str(text), "--target-url", url_of(scratch))
    assert code == 1

    # A tar-format pg_dump archive is an archive, but not the custom format we write.
    tar = tmp_path / "20250101000001_tar.dump"
    tool = find_tool("pg_dump", server_major())
    with source().child_env() as env:
        subprocess.run(
            [tool.path, "--format=tar", f"--file={tar}", "--schema-only", source().dbname_arg()],
            env=env,
            check=True,
            capture_output=True,
        )
    assert not backup.verify_backup(tar).ok

    # A good archive without its manifest is not trusted.
    orphan = tmp_path / "orphan" / seeded_backup.path.name
    orphan.parent.mkdir()
    orphan.write_bytes(seeded_backup.path.read_bytes())
    verification = backup.verify_backup(orphan)
    assert not verification.ok and "no manifest" in verification.problems[0]
    code, message, _ = run_failing("restore", str(orphan), "--target-url", url_of(scratch))
    assert code == 1 and "no manifest" in message


def test_one_line_errors_and_exit_codes_from_the_shell(tmp_path):
    corrupt = tmp_path / "20250101000000_x.dump"
    corrupt.write_bytes(b"PGDMP garbage")
    backup.manifest_path_for(corrupt).write_text(
        json.dumps({"format": "americano-backup", "manifest_version": 1,
                    "dump": {"sha256": "0" * 64, "size": 13}, "tables": {}})
    )  # fmt: skip
    assert_one_line_error(manage("backup", "--verify", str(corrupt)), returncode=1)
    assert_one_line_error(manage("restore", str(corrupt), "--target-url", "sqlite:///x.db"))
