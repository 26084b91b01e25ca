"""``manage.py backup --prune``: the retention policy keeps exactly what it says.

No database: the backups are empty stand-ins named like backups (and one test runs
``manage.py``, as a nightly prune does).
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from americano.ops import backup
from tests.backup_support import (
    make_backups,
    run,
    run_failing,
)
from tests.commandline import manage

NOW = dt.datetime(2025, 6, 30, 12, 0, 0, tzinfo=dt.UTC)


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
    made = make_backups(tmp_path, ages, NOW)
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


@pytest.mark.slow  # runs manage.py
def test_a_file_named_like_a_backup_with_no_valid_time_is_listed_and_never_pruned(tmp_path):
    made = make_backups(tmp_path, [1, 40, 50], dt.datetime.now(dt.UTC))
    strays = [tmp_path / "99999999999999_x.dump", tmp_path / "00000000000000_y.dump"]
    for stray in strays:
        stray.write_bytes(b"PGDMP")

    listing = manage("backup", "--list", "--dir", str(tmp_path), "--format", "json")
    assert listing.returncode == 0, listing.stderr
    entries = json.loads(listing.stdout)["backups"]
    assert [Path(entry["file"]) for entry in entries] == [made[1], made[40], made[50], *strays]
    assert [entry["created_at"] for entry in entries[3:]] == [None, None]
    assert {entry["problem"] for entry in entries[3:]} == {backup.NO_TIME}

    # The nightly prune: it keeps the strays, which count for nothing, and deletes the rest.
    pruned = manage(
        "backup", "--prune", "--dir", str(tmp_path), "--keep-last", "1", "--format", "json"
    )
    assert pruned.returncode == 0, pruned.stderr
    report = json.loads(pruned.stdout)
    assert sorted(report["deleted"]) == sorted(str(made[age]) for age in (40, 50))
    assert report["undated"] == [str(stray) for stray in strays]
    assert sorted(tmp_path.glob("*.dump")) == sorted([made[1], *strays])
    text = manage("backup", "--prune", "--dir", str(tmp_path), "--keep-last", "1")
    assert text.returncode == 0 and f"kept {strays[0].name}: {backup.NO_TIME}" in text.stdout
