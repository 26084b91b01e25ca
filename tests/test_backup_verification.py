"""Verification that means what it says: the whole archive is read, its tables are the
manifest's both ways, legal names do not confuse it, and the exit codes tell a corrupt
backup (1) from a broken environment (2).

Against the real server; see tests/backup_support.py for the seeded archive.
"""

import json
from pathlib import Path

import pytest

from americano.ops import backup
from americano.ops.backup.contents import session
from americano.ops.backup.files import sha256
from americano.ops.pgtools import MAX_ERROR_CHARS
from tests.backup_support import (  # noqa: F401 (fixtures)
    database_access,
    database_with,
    fake_tool,
    run,
    run_failing,
    scratch_fixture,
    seeded_backup_fixture,
    seeded_fixture,
    url_of,
)

#: Schemas and tables with names the listing of pg_restore cannot show unambiguously.
ODD_NAMES_SQL = """
CREATE SCHEMA "sp ace";
CREATE TABLE "sp ace"."ta ble" (id int); INSERT INTO "sp ace"."ta ble" VALUES (1), (2), (3);
CREATE TABLE U&"new\\000aline" (id int); INSERT INTO U&"new\\000aline" VALUES (1), (2);
CREATE TABLE "a.b c" (id int); INSERT INTO "a.b c" VALUES (1);
"""
ODD_TABLES = {"sp ace.ta ble": 3, "public.new\nline": 2, "public.a.b c": 1}

#: An archive that reads back whole but that PostgreSQL refuses to restore: the check of
#: aa_checked reads zz_allowed, which is restored after it, and its error quotes the row.
NOTE = "Zoë Ñúñez, private note. " * 500
UNRESTORABLE_SQL = """
CREATE TABLE zz_allowed (v int); INSERT INTO zz_allowed VALUES (1);
CREATE FUNCTION allowed(v int, note text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.zz_allowed a WHERE a.v = allowed.v) THEN
        RAISE EXCEPTION 'row % is not allowed: %', v, note;
    END IF;
    RETURN true;
END $$;
CREATE TABLE aa_checked (v int CHECK (allowed(v, note)), note text);
INSERT INTO aa_checked VALUES (1, repeat('Zoë Ñúñez, private note. ', 500));
"""


@pytest.fixture(name="odd", scope="module")
def odd_fixture(django_db_setup, django_db_blocker, tmp_path_factory) -> backup.BackupResult:
    with database_with(django_db_blocker, ODD_NAMES_SQL) as source, django_db_blocker.unblock():
        return backup.create_backup(source, tmp_path_factory.mktemp("odd"), "odd")


@pytest.fixture(name="unrestorable", scope="module")
def unrestorable_fixture(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    with database_with(django_db_blocker, UNRESTORABLE_SQL) as source, django_db_blocker.unblock():
        made = backup.create_backup(source, tmp_path_factory.mktemp("unrestorable"), "x")
    assert made.ok, made.verification.problems  # it reads back whole
    return made.path


def edit_manifest(archive: Path, change) -> None:
    path = backup.manifest_path_for(archive)
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def without_oids(data: dict) -> None:
    """As a manifest written before the OIDs of the tables were recorded."""
    del data["table_oids"], data["extension_tables"]


# -- names ---------------------------------------------------------------------------------


def test_names_with_spaces_newlines_and_dots_verify_and_restore(odd, scratch):
    assert odd.ok, odd.verification.problems
    assert odd.manifest.tables == ODD_TABLES
    assert set(odd.manifest.table_oids) == set(ODD_TABLES)
    result = backup.restore_backup(odd.path, scratch)
    assert result.ok and backup.table_row_counts(scratch) == ODD_TABLES

    edit_manifest(odd.path, without_oids)  # matched by name then
    verification = backup.verify_backup(odd.path)
    assert verification.ok, verification.problems


def test_a_table_left_out_of_the_manifest_is_found_by_oid_and_by_name(odd, tmp_path, scratch):
    copy = tmp_path / odd.path.name
    copy.write_bytes(odd.path.read_bytes())
    manifest = odd.manifest.to_json()
    del manifest["tables"]["public.new\nline"]
    backup.manifest_path_for(copy).write_text(json.dumps(manifest))
    left_out = (
        "the archive holds the data of 1 tables the manifest does not count: "
        "public new line postgres"
    )
    assert backup.verify_backup(copy).problems == [left_out]  # by OID
    edit_manifest(copy, without_oids)
    assert backup.verify_backup(copy).problems == [left_out]  # by name
    code, message, _ = run_failing("restore", str(copy), "--target-url", url_of(scratch))
    assert code == 1 and left_out in message and "\n" not in message
    assert backup.inspect_target(scratch).empty


# -- the whole archive, both ways ----------------------------------------------------------


def test_a_cut_data_section_fails_even_under_a_manifest_rewritten_to_match(seeded_backup, scratch):
    path = seeded_backup.path
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])

    def matching(data: dict) -> None:
        data["dump"].update(size=path.stat().st_size, sha256=sha256(path))

    edit_manifest(path, matching)
    verification = backup.verify_backup(path)
    assert "size and sha256 match the manifest" in verification.checks[1]
    assert verification.problems[0].startswith("the data cannot be read back: pg_restore failed")
    code, message, _ = run_failing("backup", "--verify", str(path))
    assert code == 1 and "failed verification" in message
    code, message, _ = run_failing("restore", str(path), "--target-url", url_of(scratch))
    assert code == 1 and "the data cannot be read back" in message
    assert backup.inspect_target(scratch).empty


def test_a_manifest_that_omits_a_table_fails_verify_and_restore(seeded_backup, scratch):
    edit_manifest(seeded_backup.path, lambda data: data["tables"].pop("public.reviews"))
    code, message, _ = run_failing("backup", "--verify", str(seeded_backup.path))
    assert code == 1
    code, message, _ = run_failing(
        "restore", str(seeded_backup.path), "--target-url", url_of(scratch)
    )
    assert code == 1 and "tables the manifest does not count: public reviews" in message
    assert backup.inspect_target(scratch).empty

    # An extension's configuration table is in the archive without being counted.
    def as_extension_table(data: dict) -> None:
        data["extension_tables"]["public.reviews"] = data["table_oids"]["public.reviews"]

    edit_manifest(seeded_backup.path, as_extension_table)
    assert backup.verify_backup(seeded_backup.path).ok


# -- exit codes ----------------------------------------------------------------------------


def test_a_missing_or_old_pg_restore_is_the_environment_not_a_corrupt_backup(
    seeded_backup, tmp_path, monkeypatch
):
    monkeypatch.setenv("PG_RESTORE", str(tmp_path / "no-such-program"))
    code, message, _ = run_failing("backup", "--verify", str(seeded_backup.path))
    assert code == 2 and "does not name a program" in message
    monkeypatch.setenv("PG_RESTORE", str(fake_tool(tmp_path / "bin", "pg_restore", "13.9")))
    code, message, _ = run_failing("backup", "--verify", str(seeded_backup.path))
    assert code == 2 and "older than the archive" in message


def test_a_restore_test_that_postgresql_refuses_is_a_finding(unrestorable):
    code, message, out = run_failing(
        "backup", "--verify", str(unrestorable), "--restore-test", "--format", "json"
    )
    assert code == 1 and "failed verification" in message
    report = json.loads(out)
    assert report["verification"]["ok"] and not report["restore_test"]["ok"]
    assert report["restore_test"]["problems"][0].startswith("restore failed, nothing was changed")


def test_a_failed_restore_says_why_in_one_short_line_without_the_row(unrestorable, scratch):
    with session(scratch) as db:
        db.execute("CREATE TABLE keep_me (n int); INSERT INTO keep_me VALUES (1)")
    code, message, _ = run_failing(
        "restore", str(unrestorable), "--target-url", url_of(scratch), "--force"
    )
    assert code == 2 and "restore failed, nothing was changed: psql: " in message
    assert "row 1 is not allowed: Zoë Ñúñez, private note." in message  # why, from the first line
    assert len(message) < 100 + MAX_ERROR_CHARS and NOTE not in message
    assert "CONTEXT" not in message and "COPY" not in message  # the lines quoting the row
    assert backup.table_row_counts(scratch) == {"public.keep_me": 1}
