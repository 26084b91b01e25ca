"""``manage.py backup`` and ``manage.py restore`` against the real server.

pg_dump and pg_restore run in other processes and see only committed data, so
the test database is seeded once for the module through a connection of its
own (and emptied again at the end); the library and the commands reach the
database through their own connections, so the tests need no Django database
access, and no flush after each test. Restores go into scratch databases that
are always dropped.
"""

import datetime as dt
import io
import json
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from americano.ops import backup
from americano.ops.pgtools import ConnInfo, PgToolError, find_tool, tool_version
from tests.commandline import assert_one_line_error, manage

SECRET = "s3cr3t:pa55\\word"

pytestmark = pytest.mark.slow

#: A little of everything the schema stores: enums, jsonb, arrays, vectors, NULLs, non-ASCII.
SEED_SQL = """
INSERT INTO users (id, email, name, "updatedAt")
SELECT 'u' || i, 'user' || i || '@example.org', 'Zoë Ñúñez ' || i,
       timestamp '2025-01-01' + i * interval '1 minute'
FROM generate_series(1, 20) i;
INSERT INTO courses (id, "userId", name, code, "createdAt", "updatedAt", color)
SELECT 'c' || i, 'u' || (1 + i % 20), 'Course ' || i, CASE WHEN i % 2 = 0 THEN 'C' || i END,
       timestamp '2025-01-02', timestamp '2025-01-03', '#ff00' || (10 + i)
FROM generate_series(1, 30) i;
INSERT INTO lectures
    (id, "userId", "courseId", title, "fileName", "fileUrl", "fileSize", "topicTags")
SELECT 'l' || i, 'u' || (1 + i % 20), 'c' || (1 + i % 30), 'Lecture ' || i || E' \\ tab\\t',
       'l' || i || '.pdf', 'https://files.example.org/l' || i, 1000 + i, ARRAY['cardio', 'rénal']
FROM generate_series(1, 40) i;
INSERT INTO content_chunks (id, "lectureId", content, embedding, "chunkIndex")
SELECT 'ch' || i, 'l' || (1 + i % 40), repeat('lorem ipsum ', 5),
       (SELECT array_agg(sin(i * 1536 + j))::real[] FROM generate_series(1, 1536) j)::vector, i
FROM generate_series(1, 25) i;
INSERT INTO cards (id, "courseId", "lectureId", front, back, "cardType", difficulty)
SELECT 'k' || i, 'c' || (1 + i % 30), CASE WHEN i % 3 <> 0 THEN 'l' || (1 + i % 40) END,
       'Front ' || i, 'Back "' || i || '"', (enum_range(NULL::"CardType"))[1 + i % 3], i / 7.0
FROM generate_series(1, 200) i;
INSERT INTO reviews (id, "userId", "cardId", rating, "timeSpentMs", "reviewedAt",
                     "difficultyBefore", "stabilityBefore", "difficultyAfter", "stabilityAfter")
SELECT 'r' || i, 'u' || (1 + i % 20), 'k' || (1 + i % 200),
       (enum_range(NULL::"ReviewRating"))[1 + i % 4], i * 13,
       timestamp '2025-02-01' + i * interval '17 seconds', 0.1, 0.2, 0.3, 0.4
FROM generate_series(1, 500) i;
INSERT INTO behavioral_events (id, "userId", "eventType", "eventData", "timestamp", "dayOfWeek")
SELECT 'e' || i, 'u' || (1 + i % 20), (enum_range(NULL::"EventType"))[1 + i % 13],
       jsonb_build_object('n', i, 'tags', jsonb_build_array('a', 'ü')),
       timestamp '2025-03-01' + i * interval '1 second', CASE WHEN i % 5 <> 0 THEN i % 7 END
FROM generate_series(1, 300) i;
"""


SEEDED_TABLES = "users, courses, lectures, content_chunks, cards, reviews, behavioral_events"


def source() -> ConnInfo:
    """The test database, as the commands see it."""
    return ConnInfo.from_django(connection)


def server_major() -> int:
    with source().connect() as db:
        return int(db.execute("SHOW server_version_num").fetchone()[0]) // 10000


def run(command: str, *args: str) -> tuple[str, str]:
    """call_command, returning (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(command: str, *args: str) -> tuple[int, str, str]:
    """call_command expected to fail: (returncode, message, stdout)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(command, *args, stdout=out, stderr=err)
    return caught.value.returncode, str(caught.value), out.getvalue()


@dataclass
class Seeded:
    """The backup of the seeded test database, and what it held."""

    path: Path
    manifest_path: Path
    manifest: dict
    counts: dict
    checksums: dict


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, tmp_path_factory):
    """Seed the test database (committed), back it up once, empty it again at the end."""
    with source().connect() as db:
        db.execute(SEED_SQL)
    try:
        made = backup.create_backup(source(), tmp_path_factory.mktemp("seeded"), "seeded")
        assert made.ok, made.verification.problems
        yield Seeded(
            made.path,
            made.manifest_path,
            made.manifest,
            backup.table_row_counts(source()),
            backup.table_checksums(source()),
        )
    finally:
        with source().connect() as db:
            db.execute(f"TRUNCATE {SEEDED_TABLES} CASCADE")


@pytest.fixture
def seeded_backup(seeded, tmp_path) -> Seeded:
    """A copy of the seeded backup that a test may damage."""
    path = tmp_path / seeded.path.name
    manifest_path = backup.manifest_path_for(path)
    shutil.copyfile(seeded.path, path)
    shutil.copyfile(seeded.manifest_path, manifest_path)
    return Seeded(path, manifest_path, seeded.manifest, seeded.counts, seeded.checksums)


@pytest.fixture
def scratch():
    """An empty database on the test server, dropped afterwards."""
    with backup.scratch_database(source(), "test") as conn:
        yield conn


PUBLIC_SCHEMA = (
    "SELECT nspowner::regrole::text, nspacl::text FROM pg_namespace WHERE nspname = 'public'"
)


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


# -- round trip ----------------------------------------------------------------------------


def test_round_trip_keeps_every_row(seeded_backup, scratch):
    manifest = seeded_backup.manifest
    counts = seeded_backup.counts
    assert manifest["tables"] == counts
    assert counts["public.reviews"] == 500 and counts["public.content_chunks"] == 25
    assert manifest["migrations"] == backup.applied_migrations(source())
    assert json.loads(seeded_backup.manifest_path.read_text()) == manifest

    out, _ = run(
        "restore", str(seeded_backup.path), "--target-url", scratch.display(), "--format", "json"
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
        backup.table_row_counts(source()).values()
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


# -- corrupt files -------------------------------------------------------------------------


def test_one_flipped_byte_fails_verify_and_restore(seeded_backup, scratch):
    path = seeded_backup.path
    flip_byte(path, path.stat().st_size // 2)

    verification = backup.verify_backup(path)
    assert not verification.ok
    assert any("sha256" in problem for problem in verification.problems)
    code, message, _ = run_failing("backup", "--verify", str(path))
    assert code == 1 and "failed verification" in message

    code, message, _ = run_failing("restore", str(path), "--target-url", scratch.display())
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
        "restore", str(path), "--target-url", scratch.display(), "--format", "json"
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
    code, _, _ = run_failing("restore", str(text), "--target-url", scratch.display())
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
    code, message, _ = run_failing("restore", str(orphan), "--target-url", scratch.display())
    assert code == 1 and "no manifest" in message


# -- restore targets -----------------------------------------------------------------------


@pytest.mark.django_db
def test_restore_refuses_a_non_empty_target_without_force(seeded_backup):
    before = backup.table_row_counts(source())
    code, message, _ = run_failing(
        "restore", str(seeded_backup.path), "--target-url", source().display()
    )
    assert code == 2 and "--force" in message and "not empty" in message
    code, message, _ = run_failing("restore", str(seeded_backup.path))  # the default database
    assert code == 2 and "--force" in message
    assert backup.table_row_counts(source()) == before


def test_force_drops_what_the_backup_does_not_know(seeded_backup, scratch):
    backup.restore_backup(seeded_backup.path, scratch)
    with scratch.connect() as db:  # what a later migration would have added
        db.execute("CREATE TABLE later_migration (id int); INSERT INTO later_migration VALUES (1)")
        db.execute("CREATE SCHEMA reporting; CREATE TABLE reporting.daily (d date)")
        db.execute("DELETE FROM reviews WHERE id LIKE 'r1%'")

    out, _ = run("restore", str(seeded_backup.path), "--target-url", scratch.display(), "--force")
    notice = next(line for line in out.splitlines() if line.startswith("--force: dropping"))
    assert "public" in notice and "reporting" in notice and "tables" in notice
    assert "later_migration" not in str(backup.table_row_counts(scratch))
    assert "reporting" not in backup.inspect_target(scratch).schemas
    assert backup.table_checksums(scratch) == seeded_backup.checksums
    with scratch.connect() as db:
        owner, acl = db.execute(PUBLIC_SCHEMA).fetchone()
    with source().connect() as db:
        assert (owner, acl) == db.execute(PUBLIC_SCHEMA).fetchone()


@pytest.fixture
def publication():
    """A publication in the source: restoring it where it exists already fails late."""
    with source().connect() as db:
        db.execute("CREATE PUBLICATION backup_test_pub")
    try:
        yield "backup_test_pub"
    finally:
        with source().connect() as db:
            db.execute("DROP PUBLICATION IF EXISTS backup_test_pub")


def test_a_failed_restore_leaves_the_target_as_it_was(publication, tmp_path, scratch):
    made = backup.create_backup(source(), tmp_path, "pub")
    assert made.ok
    with scratch.connect() as db:
        db.execute(f"CREATE PUBLICATION {publication}")

    # Into an empty database: the tables and rows restored before the failure are gone.
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.restore_backup(made.path, scratch)
    assert backup.inspect_target(scratch).empty

    # Over a database with tables: the drops are rolled back with the rest.
    with scratch.connect() as db:
        db.execute("CREATE TABLE keep_me (n int); INSERT INTO keep_me VALUES (1), (2), (3)")
    code, message, _ = run_failing(
        "restore", str(made.path), "--target-url", scratch.display(), "--force"
    )
    assert code == 2 and "nothing was changed" in message
    assert backup.table_row_counts(scratch) == {"public.keep_me": 3}
    assert backup.inspect_target(scratch).extensions == []


def test_a_replacing_restore_cut_short_changes_nothing(seeded_backup, scratch):
    """pg_restore dying mid-stream must not let psql commit the drops and half the data."""
    with scratch.connect() as db:
        db.execute("CREATE TABLE keep_me (n int); INSERT INTO keep_me VALUES (1), (2), (3)")
    broken = seeded_backup.path.with_name("broken.dump")
    broken.write_bytes(seeded_backup.path.read_bytes()[:-200])  # the table of contents is whole
    pg_restore = find_tool("pg_restore", server_major())
    script = subprocess.run(
        [pg_restore.path, "--file=-", str(broken)], capture_output=True, text=True, check=False
    )
    assert script.returncode != 0 and "COPY public." in script.stdout  # it fails midway

    # The archive checks refuse this file, so call the restoring step itself.
    contents = backup.inspect_target(scratch)
    with pytest.raises(backup.BackupError, match="nothing was changed"):
        backup._restore_replacing(pg_restore, broken, scratch, contents)
    assert backup.table_row_counts(scratch) == {"public.keep_me": 3}
    assert backup.inspect_target(scratch).relations == ["public.keep_me"]


def test_restore_refuses_production_and_bad_urls(seeded_backup, scratch, monkeypatch):
    code, message, _ = run_failing(
        "restore", str(seeded_backup.path), "--target-url", f"mysql://u:{SECRET}@db/x"
    )
    assert code == 2 and "postgresql://" in message and SECRET not in message

    code, message, _ = run_failing(
        "restore", str(seeded_backup.path), "--target-url", f"postgresql://u:{SECRET}%zz@db/x"
    )
    assert code == 2 and "not a valid database URL" in message and SECRET not in message

    monkeypatch.setenv("AMERICANO_ENV", "production")
    code, message, _ = run_failing(
        "restore", str(seeded_backup.path), "--target-url", scratch.display()
    )
    assert code == 2 and "--allow-production" in message
    assert backup.inspect_target(scratch).empty
    out, _ = run(
        "restore", str(seeded_backup.path), "--target-url", scratch.display(), "--allow-production"
    )
    assert "Restored" in out


def test_restore_reports_what_migrate_will_do(seeded_backup, scratch):
    backup.restore_backup(seeded_backup.path, scratch)
    with scratch.connect() as db:  # a database behind on behavior, ahead on learning
        db.execute("DELETE FROM django_migrations WHERE app = 'behavior'")
        db.execute(
            "INSERT INTO django_migrations (app, name, applied)"
            " VALUES ('learning', '9999_future', now())"
        )
    made = backup.create_backup(scratch, seeded_backup.path.parent, "migrations")
    assert made.ok
    with backup.scratch_database(source(), "test") as second:
        result = backup.restore_backup(made.path, second)
    assert result.ok
    assert result.migrations.pending
    assert all(name.startswith("behavior.") for name in result.migrations.pending)
    assert result.migrations.unknown == ["learning.9999_future"]


# -- retention -----------------------------------------------------------------------------

NOW = dt.datetime(2025, 6, 30, 12, 0, 0, tzinfo=dt.UTC)


def make_backups(folder: Path, ages_in_days: list[float], now: dt.datetime = NOW) -> dict:
    """Empty stand-ins named like backups of the given ages: {age: path}."""
    folder.mkdir(exist_ok=True)
    made = {}
    for age in ages_in_days:
        stamp = (now - dt.timedelta(days=age)).strftime(backup.STAMP_FORMAT)
        path = folder / f"{stamp}_db.dump"
        path.write_bytes(b"PGDMP")
        backup.manifest_path_for(path).write_text("{}")
        made[age] = path
    return made


@pytest.mark.parametrize(
    ("ages", "keep_days", "keep_last", "kept"),
    [
        ([0.5, 1, 10, 29.9, 30, 30.1, 45, 100], 30, 3, [0.5, 1, 10, 29.9, 30]),
        ([40, 50, 60, 70], 30, 3, [40, 50, 60]),
        ([0.5, 1, 2, 3, 10], 5, 1, [0.5, 1, 2, 3]),
        ([0.5, 1, 2, 3, 10], 0, 2, [0.5, 1]),
        ([400], 30, 3, [400]),
        ([], 30, 3, []),
    ],
)
def test_prune_keeps_exactly_what_the_policy_says(tmp_path, ages, keep_days, keep_last, kept):
    made = make_backups(tmp_path, ages)
    (tmp_path / "notes.txt").write_text("not a backup")
    (tmp_path / "20200101000000_db.dump.partial").write_text("unfinished")

    dry = backup.prune_backups(tmp_path, keep_days, keep_last, dry_run=True, now=NOW)
    assert all(path.exists() for path in made.values())
    plan = backup.prune_backups(tmp_path, keep_days, keep_last, now=NOW)
    assert [entry.path for entry in plan.keep] == [entry.path for entry in dry.keep]

    assert sorted(entry.path for entry in plan.keep) == sorted(made[age] for age in kept)
    for age, path in made.items():
        assert path.exists() == (age in kept)
        assert backup.manifest_path_for(path).exists() == (age in kept)
    assert (tmp_path / "notes.txt").exists()
    assert (tmp_path / "20200101000000_db.dump.partial").exists()


def test_prune_command(tmp_path):
    now = dt.datetime.now(dt.UTC)
    made = make_backups(tmp_path, [1, 2, 40, 50, 60, 70], now)
    out, _ = run(
        "backup", "--prune", "--dir", str(tmp_path), "--keep-days", "30", "--keep-last", "3",
        "--dry-run", "--format", "json",
    )  # fmt: skip
    report = json.loads(out)
    assert report["dry_run"] and sorted(report["deleted"]) == sorted(
        str(made[age]) for age in (50, 60, 70)
    )
    assert all(path.exists() for path in made.values())
    out, _ = run("backup", "--prune", "--dir", str(tmp_path))
    assert "kept 3, deleted 3" in out
    assert sorted(tmp_path.glob("*.dump")) == sorted(made[age] for age in (1, 2, 40))

    code, message, _ = run_failing("backup", "--prune", "--dir", str(tmp_path), "--keep-last", "0")
    assert code == 2 and "--keep-last" in message
    code, message, _ = run_failing("backup", "--list", "--keep-days", "3")
    assert code == 2 and "--keep-days" in message


# -- tools and secrets ---------------------------------------------------------------------


def fake_tool(folder: Path, name: str, version: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    path.chmod(0o755)
    return path


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
    target = scratch.display().replace("postgresql://postgres@", f"postgresql://postgres:{SECRET}@")
    assert SECRET in target
    outputs.append(run("restore", str(dump), "--target-url", target))
    outputs.append(run("restore", str(dump), "--target-url", target, "--force", "--format", "json"))
    missing = target.replace(scratch.dbname, "no_such_database_here")
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


def test_one_line_errors_and_exit_codes_from_the_shell(tmp_path):
    corrupt = tmp_path / "20250101000000_x.dump"
    corrupt.write_bytes(b"PGDMP garbage")
    backup.manifest_path_for(corrupt).write_text(
        json.dumps({"format": "americano-backup", "manifest_version": 1,
                    "dump": {"sha256": "0" * 64, "size": 13}, "tables": {}})
    )  # fmt: skip
    assert_one_line_error(manage("backup", "--verify", str(corrupt)), returncode=1)
    assert_one_line_error(manage("restore", str(corrupt), "--target-url", "sqlite:///x.db"))
