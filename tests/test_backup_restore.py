"""``manage.py restore``: into which database, what it drops, and that it is all or nothing.

Against the real server; see tests/backup_support.py for the seeded archive.
"""

import subprocess

import pytest
from django.db import connection

from americano.ops import backup
from americano.ops.backup.contents import session
from americano.ops.backup.pgrestore import restore_in_one_transaction
from americano.ops.databases import throwaway_database
from americano.ops.pgtools import ConnInfo, find_tool
from tests.backup_support import (  # noqa: F401 (fixtures)
    SECRET,
    database_access,
    run,
    run_failing,
    scratch_fixture,
    seeded_backup_fixture,
    seeded_fixture,
    server_major,
    source,
    url_of,
)

PUBLIC_SCHEMA = (
    "SELECT nspowner::regrole::text, nspacl::text FROM pg_namespace WHERE nspname = 'public'"
)


def test_restore_refuses_a_non_empty_target_without_force(seeded_backup):
    before = backup.table_row_counts(connection)
    code, message, _ = run_failing(
        "restore", str(seeded_backup.path), "--target-url", source().display()
    )
    assert code == 2 and "--force" in message and "not empty" in message
    code, message, _ = run_failing("restore", str(seeded_backup.path))  # the default database
    assert code == 2 and "--force" in message
    assert backup.table_row_counts(connection) == before


def test_force_drops_what_the_backup_does_not_know(seeded_backup, scratch):
    backup.restore_backup(seeded_backup.path, scratch)
    with session(scratch) as db:  # what a later migration would have added
        db.execute("CREATE TABLE later_migration (id int); INSERT INTO later_migration VALUES (1)")
        db.execute("CREATE SCHEMA reporting; CREATE TABLE reporting.daily (d date)")
        db.execute("DELETE FROM reviews WHERE id LIKE 'r1%'")

    out, _ = run("restore", str(seeded_backup.path), "--target-url", url_of(scratch), "--force")
    notice = next(line for line in out.splitlines() if line.startswith("--force: dropping"))
    assert "public" in notice and "reporting" in notice and "tables" in notice
    assert "later_migration" not in str(backup.table_row_counts(scratch))
    assert "reporting" not in backup.inspect_target(scratch).schemas
    assert backup.table_checksums(scratch) == seeded_backup.checksums
    with session(scratch) as db:
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
    made = backup.create_backup(connection, tmp_path, "pub")
    assert made.ok
    with session(scratch) as db:
        db.execute(f"CREATE PUBLICATION {publication}")

    # Into an empty database: the tables and rows restored before the failure are gone.
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.restore_backup(made.path, scratch)
    assert backup.inspect_target(scratch).empty

    # Over a database with tables: the drops are rolled back with the rest.
    with session(scratch) as db:
        db.execute("CREATE TABLE keep_me (n int); INSERT INTO keep_me VALUES (1), (2), (3)")
    code, message, _ = run_failing(
        "restore", str(made.path), "--target-url", url_of(scratch), "--force"
    )
    assert code == 2 and "nothing was changed" in message
    assert backup.table_row_counts(scratch) == {"public.keep_me": 3}
    assert backup.inspect_target(scratch).extensions == []


def test_a_replacing_restore_cut_short_changes_nothing(seeded_backup, scratch):
    """pg_restore dying mid-stream must not let psql commit the drops and half the data."""
    with session(scratch) as db:
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
        restore_in_one_transaction(pg_restore, broken, ConnInfo.from_django(scratch), contents)
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
        "restore", str(seeded_backup.path), "--target-url", url_of(scratch)
    )
    assert code == 2 and "--allow-production" in message
    assert backup.inspect_target(scratch).empty
    out, _ = run(
        "restore", str(seeded_backup.path), "--target-url", url_of(scratch), "--allow-production"
    )
    assert "Restored" in out


def test_restore_reports_what_migrate_will_do(seeded_backup, scratch):
    backup.restore_backup(seeded_backup.path, scratch)
    with session(scratch) as db:  # a database behind on behavior, ahead on learning
        db.execute("DELETE FROM django_migrations WHERE app = 'behavior'")
        db.execute(
            "INSERT INTO django_migrations (app, name, applied)"
            " VALUES ('learning', '9999_future', now())"
        )
    made = backup.create_backup(scratch, seeded_backup.path.parent, "migrations")
    assert made.ok
    with throwaway_database(connection, "test") as second:
        result = backup.restore_backup(made.path, second)
    assert result.ok
    assert result.migrations.pending
    assert all(name.startswith("behavior.") for name in result.migrations.pending)
    assert result.migrations.unknown == ["learning.9999_future"]
