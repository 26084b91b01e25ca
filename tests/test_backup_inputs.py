"""``backup`` and ``restore`` given bad input: exit 2 with one line, and nothing touched.

An empty value given explicitly is an error, never "the default" (an empty --target-url
must not mean the project's database); numbers are bounded; a folder that cannot be
written is the environment (2), not a corrupt backup (1). Against the real server.
"""

import os
from pathlib import Path

import pytest
from django.db import connection

from americano.ops import backup
from tests.backup_support import (  # noqa: F401 (fixtures)
    database_access,
    run_failing,
    seeded_backup_fixture,
    seeded_fixture,
    url_of,
)
from tests.commandline import assert_one_line_error, manage


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder that exists and that this process cannot write in. Root ignores permissions,
    but nobody creates files in /sys."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o500)
        return folder
    if not Path("/sys/kernel").is_dir():
        pytest.skip("running as root without /sys: no folder here that root cannot write")
    return Path("/sys/kernel")


@pytest.mark.slow  # runs manage.py
def test_a_folder_that_cannot_be_written_is_an_error_not_a_corrupt_backup(tmp_path):
    folder = unwritable_folder(tmp_path)
    result = manage("backup", "--dir", str(folder), DATABASE_URL=url_of(connection))
    assert_one_line_error(result, 2)
    assert f"cannot write in {folder}: Permission denied" in result.stderr
    assert not list(folder.glob("*.partial"))

    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    code, message, _ = run_failing("backup", "--dir", str(a_file / "backups"))
    assert code == 2 and "cannot create" in message
    code, message, _ = run_failing("backup", "--list", "--dir", str(a_file))
    assert code == 2 and "is not a folder" in message


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["backup", "--dir", ""], "--dir is empty"),
        (["backup", "--list", "--dir", ""], "--dir is empty"),
        (["backup", "--prune", "--dir", ""], "--dir is empty"),
        (["backup", "--verify", ""], "the backup file is empty"),
        (["backup", "--label", ""], "label '' must be"),
        (["backup", "--compress", " "], "--compress is empty"),
        (["backup", "--list", "--label", ""], "--label cannot be used here"),
        (["backup", "--prune", "--keep-days", "99999999999999999999"], "--keep-days from 0"),
        (["backup", "--prune", "--keep-days", "-1"], "--keep-days from 0 to 36500"),
        (["restore", ""], "the backup file is empty"),
        (["restore", "."], ". is a folder, not a backup"),
        (["backup", "--verify", "/"], "/ is a folder, not a backup"),
    ],
)
def test_empty_and_out_of_range_values_are_refused(args, says, tmp_path):
    before = sorted(Path.cwd().iterdir())
    code, message, _ = run_failing(*args)
    assert code == 2 and says in message
    assert sorted(Path.cwd().iterdir()) == before  # nothing written where "" would point


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--target-url", "", "--target-url is empty"),
        ("--lock-wait", "nan", "--lock-wait must be a number of seconds from 0 to 86400"),
        ("--lock-wait", "inf", "--lock-wait must be"),
        ("--lock-wait", "1e309", "--lock-wait must be"),
        ("--lock-wait", "-1", "--lock-wait must be"),
        ("--lock-wait", "1e9", "--lock-wait must be"),
        ("--jobs", "0", "--jobs must be from 1 to 64"),
        ("--jobs", "100000", "--jobs must be from 1 to 64"),
    ],
)
def test_a_restore_with_a_bad_value_touches_no_database(seeded_backup, option, value, says):
    """``--target-url ""`` (an unset variable) must not restore into DATABASE_URL's database."""
    before = backup.table_row_counts(connection)
    code, message, _ = run_failing("restore", str(seeded_backup.path), option, value, "--force")
    assert code == 2 and says in message
    assert backup.table_row_counts(connection) == before
