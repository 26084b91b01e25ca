"""What the backup tests share: seeded data, a seeded archive, scratch databases, commands.

pg_dump and pg_restore run in other processes and see only committed data,
and the library reaches its databases through sessions of its own, so
pytest-django's per-test transaction does not keep these tests apart
(:func:`database_access` only makes sure the test database is set up).
Instead no test leaves rows behind: the seeded archive is made once per module
from rows committed to the test database and deleted again before any test
runs, so tests share only that file, each through a copy of its own
(``seeded_backup``). Restores go into scratch databases that are always dropped.

Test modules import the fixtures by their function names (``scratch_fixture``
provides ``scratch``), so that test arguments do not shadow the imports.

Fault and concurrency tests run ``manage.py`` in children of their own
(:func:`start_manage`): each in a new process group, so that what it leaves
running is found by group (:func:`processes_left`), and with a temporary folder
of its own (``TMPDIR``), so that what it leaves on disk is found there
(:func:`secrets_left`).
"""

import contextlib
import datetime as dt
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.ops import backup
from americano.ops.databases import throwaway_database
from americano.ops.pgtools import FOLDER_PREFIX, ConnInfo
from tests import commandline
from tests.dbutil import libpq_target

#: A password with the characters a PGPASSFILE must escape.
SECRET = "s3cr3t:pa55\\word"

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
    """The test database as the client programs see it, for sessions of a test's own."""
    return ConnInfo.from_django(connection)


def url_of(database: BaseDatabaseWrapper) -> str:
    """A password-free ``postgresql://`` URL of ``database`` on the test server."""
    return libpq_target(database.settings_dict["NAME"])[0]


def password_url(database: BaseDatabaseWrapper) -> str:
    """``url_of(database)`` with ``tests.commandline.SECRET`` as the password: the embedded
    server trusts local connections, so it is not needed, but it is handed over (in a
    password file) as any password would be."""
    url = url_of(database)
    user = f"{database.settings_dict['USER']}@"
    assert user in url, url
    return url.replace(user, f"{user[:-1]}:{quote(commandline.SECRET, safe='')}@", 1)


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


def fake_tool(folder: Path, name: str, version: str) -> Path:
    """A program named ``name`` that says it is PostgreSQL ``version`` and does nothing."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    path.chmod(0o755)
    return path


def make_backups(folder: Path, ages_in_days: list[float], now: dt.datetime) -> dict:
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


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@dataclass
class Seeded:
    """The backup of the seeded test database, and what the database held."""

    path: Path
    manifest_path: Path
    #: The manifest as its JSON file holds it.
    manifest: dict
    counts: dict
    checksums: dict


@pytest.fixture(autouse=True)
def database_access(db):
    """The test database for every test of a module that imports this: pytest-django sets it
    up only for tests that ask for it, and the rest would reach the development database."""


@pytest.fixture(name="seeded", scope="module")
def seeded_fixture(django_db_setup, django_db_blocker, tmp_path_factory) -> Seeded:
    """A backup of the test database with SEED_SQL's rows, which are deleted again at once."""
    test_name = connection.settings_dict["TEST"]["NAME"]
    assert connection.settings_dict["NAME"] == test_name, "not on the test database"
    with django_db_blocker.unblock():
        with source().connect() as db:
            db.execute(SEED_SQL)
        try:
            made = backup.create_backup(connection, tmp_path_factory.mktemp("seeded"), "seeded")
            assert made.ok, made.verification.problems
            counts = backup.table_row_counts(connection)
            checksums = backup.table_checksums(connection)
        finally:
            with source().connect() as db:
                db.execute(f"TRUNCATE {SEEDED_TABLES} CASCADE")
    return Seeded(made.path, made.manifest_path, made.manifest.to_json(), counts, checksums)


@pytest.fixture(name="seeded_backup")
def seeded_backup_fixture(seeded, tmp_path) -> Seeded:
    """A copy of the seeded backup that a test may damage."""
    path = tmp_path / seeded.path.name
    manifest_path = backup.manifest_path_for(path)
    shutil.copyfile(seeded.path, path)
    shutil.copyfile(seeded.manifest_path, manifest_path)
    return Seeded(path, manifest_path, seeded.manifest, seeded.counts, seeded.checksums)


@contextlib.contextmanager
def database_with(django_db_blocker, *statements: str) -> Iterator[BaseDatabaseWrapper]:
    """A throwaway database on the test server holding what ``statements`` make (for module
    fixtures, which pytest-django does not let reach the database by themselves)."""
    with contextlib.ExitStack() as stack:
        with django_db_blocker.unblock():
            made = stack.enter_context(throwaway_database(connection, "test"))
            with ConnInfo.from_django(made).connect() as db:
                for statement in statements:
                    db.execute(statement)
        try:
            yield made
        finally:
            with django_db_blocker.unblock():
                stack.close()


@pytest.fixture(name="scratch")
def scratch_fixture():
    """An empty database on the test server, dropped afterwards."""
    with throwaway_database(connection, "test") as database:
        yield database


def start_manage(*args: str, database_url: str, tmpdir: Path) -> subprocess.Popen:
    """``manage.py ARGS`` in the background on ``database_url``, with ``tmpdir`` as its
    temporary folder (where its password file goes)."""
    tmpdir.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    return commandline.start_manage(*args, env=env, DATABASE_URL=database_url, TMPDIR=str(tmpdir))


def secrets_left(tmpdir: Path) -> list[Path]:
    """The private folders (and password files) of ``pgtools`` left in ``tmpdir``."""
    return sorted([*tmpdir.glob(FOLDER_PREFIX + "*"), *tmpdir.rglob("pgpass")])
