"""migrate_status, its checksums and drift, migrate_resolve, and the reset guard.

Every state is created for real: a history database is built once by ``migrate``
with the checksum recorder connected (as ``AmericanoConfig.ready`` connects it),
each test works on a copy of it (``CREATE DATABASE ... TEMPLATE``), and the
commands run as operators run them, with ``DATABASE_URL`` pointing at the copy.
"""

import importlib.util
import io
import json
import subprocess
import textwrap
import uuid

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from americano.ops.catalog import diff_catalogs, read_catalog
from americano.ops.checksums import migration_checksum
from americano.ops.drift import unmigrated_changes
from americano.ops.reset import reset_refusal
from tests.commandline import SECRET, assert_one_line_error, manage, run_python
from tests.dbutil import libpq_target, pg_program, run_psql

# What AmericanoConfig.ready does once it imports americano.ops.signals.
RECORDING_MIGRATE = (
    "import sys, django; django.setup(); import americano.ops.signals; "
    "from django.core.management import call_command; "
    "call_command('migrate', *sys.argv[1:], verbosity=0)"
)
OUR_RESET_DB = (
    "import sys, django; django.setup(); "
    "from americano.management.commands.reset_db import Command; "
    "Command().run_from_argv(['manage.py', 'reset_db', *sys.argv[1:]])"
)


def _server(sql: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture(scope="module")
def history_db(django_db_setup, django_db_blocker):
    """A database built by ``migrate`` with checksums recorded: ``(name, url, env)``.

    Tests only read it; those that change a database change a ``clone`` of it.
    (Creating and dropping databases is what makes these tests slow.)
    """
    name = f"status_history_{uuid.uuid4().hex[:10]}"
    with django_db_blocker.unblock():
        _server(f'CREATE DATABASE "{name}"')
        url, env = libpq_target(name)
    try:
        result = run_python(RECORDING_MIGRATE, env=env, DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        yield name, url, env
    finally:
        with django_db_blocker.unblock():
            _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clone(history_db, django_db_blocker):
    """A fresh copy of the history database: ``(name, url, env)``, dropped afterwards."""
    name = f"status_clone_{uuid.uuid4().hex[:10]}"
    with django_db_blocker.unblock():
        _server(f'CREATE DATABASE "{name}" TEMPLATE "{history_db[0]}"')
        url, env = libpq_target(name)
    try:
        yield name, url, env
    finally:
        with django_db_blocker.unblock():
            _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def status_json(url, env, *args):
    result = manage("migrate_status", "--format", "json", *args, env=env, DATABASE_URL=url)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def by_key(document):
    return {(m["app"], m["name"]): m for m in document["migrations"]}


# --- checksums ----------------------------------------------------------------------

MIGRATION = """
from django.db import migrations, models


def helper(apps):
    return {helper_body}


def forwards(apps, schema_editor):
    {forwards_body}
    helper(apps)


class Migration(migrations.Migration):
    operations = [
        migrations.AddField("card", "slug", models.TextField(null=True, {field_kwargs})),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
"""
REFORMATTED = '''
# A comment, other quotes, other layout, keyword arguments in another order.
from django.db import migrations
from django.db import models


def helper(apps):
    """Documented now."""
    return (
        {helper_body}
    )


def forwards(apps, schema_editor):
    # Comments and blank lines are not code.

    {forwards_body}
    helper(apps)


class Migration(migrations.Migration):
    operations = [
        migrations.AddField(
            model_name='card',
            name='slug',
            field=models.TextField({field_kwargs}null=True),
        ),
        migrations.RunPython(code=forwards, reverse_code=migrations.RunPython.noop),
    ]
'''


def _checksum(tmp_path, template, helper_body="1", forwards_body="pass", field_kwargs=""):
    source = template.format(
        helper_body=helper_body, forwards_body=forwards_body, field_kwargs=field_kwargs
    )
    path = tmp_path / f"m{uuid.uuid4().hex}.py"
    path.write_text(textwrap.dedent(source))
    # Every version under one module name, as one migration file edited over time.
    spec = importlib.util.spec_from_file_location("learning.migrations.0002_slug", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return migration_checksum(module.Migration("0002_slug", "learning"))


def test_checksum_ignores_layout_and_catches_edits(tmp_path):
    original = _checksum(tmp_path, MIGRATION)
    assert original.startswith("ops1:")
    assert _checksum(tmp_path, REFORMATTED) == original
    # An operation's argument, the RunPython function, the helper it calls.
    assert _checksum(tmp_path, MIGRATION, field_kwargs="blank=True, ") != original
    assert _checksum(tmp_path, MIGRATION, forwards_body="print()") != original
    assert _checksum(tmp_path, MIGRATION, helper_body="2") != original


# --- status -------------------------------------------------------------------------


def test_a_migrated_database_is_clean_with_every_checksum_recorded(history_db):
    _, url, env = history_db
    code, document = status_json(url, env)
    assert code == 0
    assert document["clean"] is True
    assert document["format"] == 1
    assert document["summary"]["pending"] == document["summary"]["missing"] == 0
    states = {
        (m["state"], m["checksum"]["state"], m["checksum"]["source"])
        for m in document["migrations"]
    }
    assert states == {("applied", "match", "migrate")}
    assert document["drift"] is None
    assert SECRET not in json.dumps(document)


def test_status_reports_pending_missing_modified_and_unrecorded(clone, tmp_path):
    _, url, env = clone
    run_psql(
        url,
        env,
        "DELETE FROM django_migrations WHERE app = 'sessions'",
        "INSERT INTO django_migrations (app, name, applied)"
        " VALUES ('learning', '0099_gone', now())",
        "UPDATE americano_migration_checksum SET checksum = 'ops1:0000'"
        " WHERE app = 'content' AND name = '0001_initial'",
        "DELETE FROM americano_migration_checksum WHERE app = 'behavior'",
    )
    code, document = status_json(url, env)
    assert code == 1
    migrations = by_key(document)
    assert migrations["sessions", "0001_initial"]["state"] == "pending"
    assert migrations["sessions", "0001_initial"]["applied_at"] is None
    assert migrations["learning", "0099_gone"]["state"] == "missing"
    assert migrations["learning", "0099_gone"]["applied_at"]
    modified = migrations["content", "0001_initial"]
    assert modified["state"] == "modified"
    assert modified["checksum"]["recorded"] == "ops1:0000"
    assert modified["checksum"]["current"].startswith("ops1:")
    unrecorded = migrations["behavior", "0001_initial"]
    assert (unrecorded["state"], unrecorded["checksum"]["state"]) == ("applied", "unrecorded")
    summary = document["summary"]
    assert (summary["pending"], summary["missing"], summary["modified"]) == (1, 1, 1)
    assert summary["unrecorded_checksums"] == 1

    report = tmp_path / "status.txt"
    result = manage("migrate_status", "--output", str(report), env=env, DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stdout.strip().endswith("1 applied before checksums existed")
    text = report.read_text()
    assert "[ ] 0001_initial" in text
    assert "[?] 0099_gone" in text and "MISSING" in text
    assert "[M] 0001_initial" in text and "MODIFIED" in text
    assert "(before checksums existed)" in text


def test_migrate_and_fake_record_checksums_and_unapplying_forgets_them(clone):
    _, url, env = clone
    checksum_of_sessions = (
        "SELECT count(*) || coalesce(' ' || string_agg(source, ','), '')"
        " FROM americano_migration_checksum"
        " WHERE app = 'sessions'"
    )

    def migrate(*args):
        result = run_python(RECORDING_MIGRATE, *args, env=env, DATABASE_URL=url)
        assert result.returncode == 0, result.stderr

    migrate("sessions", "zero")
    assert run_psql(url, env, checksum_of_sessions).strip() == "0"
    migrate("sessions", "--fake")
    assert run_psql(url, env, checksum_of_sessions).strip() == "1 migrate"
    # Checksums lost (or never taken) are adopted by the next migrate, as marked.
    run_psql(url, env, "DELETE FROM americano_migration_checksum WHERE app = 'auth'")
    migrate()
    sources = run_psql(
        url, env, "SELECT DISTINCT source FROM americano_migration_checksum WHERE app = 'auth'"
    )
    assert sources.split() == ["adopted"]


def in_process_status(clean: bool) -> dict:
    """migrate_status --format json on the test database; exit 1 expected unless clean."""
    out = io.StringIO()
    if clean:
        call_command("migrate_status", format="json", stdout=out)
    else:
        with pytest.raises(CommandError) as exited:
            call_command("migrate_status", format="json", stdout=out)
        assert exited.value.returncode == 1
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_status_on_the_embedded_test_database():
    document = in_process_status(clean=True)
    assert document["database"].startswith("embedded:")
    assert {m["state"] for m in document["migrations"]} == {"applied"}


@pytest.mark.django_db
def test_resolve_applied_rolled_back_and_accepted_checksum_with_audit():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'sessions'")
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied)"
            " VALUES ('learning', '0099_gone', now())"
        )
    assert by_key(in_process_status(clean=False))["sessions", "0001_initial"]["state"] == "pending"

    call_command("migrate_resolve", applied=["sessions", "0001"], actor="ci", stdout=io.StringIO())
    call_command(
        "migrate_resolve",
        rolled_back=["learning", "0099_gone"],
        reason="file deleted in review",
        stdout=io.StringIO(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE americano_migration_checksum SET checksum = 'ops1:0000' WHERE app = 'sessions'"
        )
    sessions = by_key(in_process_status(clean=False))["sessions", "0001_initial"]
    assert sessions["state"] == "modified"
    with pytest.raises(CommandError, match="--reason") as refused:
        call_command("migrate_resolve", accept_checksum=["sessions", "0001_initial"])
    assert refused.value.returncode == 2
    call_command(
        "migrate_resolve",
        accept_checksum=["sessions", "0001_initial"],
        reason="comment fixed",
        actor="alice",
        stdout=io.StringIO(),
    )

    document = in_process_status(clean=True)
    sessions = by_key(document)["sessions", "0001_initial"]
    assert (sessions["state"], sessions["checksum"]["source"]) == ("applied", "accepted")
    assert ("learning", "0099_gone") not in by_key(document)
    audit = [(a["action"], a["app"], a["name"], a["actor"], a["reason"]) for a in document["audit"]]
    assert audit == [
        ("applied", "sessions", "0001_initial", "ci", None),
        ("rolled-back", "learning", "0099_gone", None, "file deleted in review"),
        ("accept-checksum", "sessions", "0001_initial", "alice", "comment fixed"),
    ]
    assert all(entry["os_user"] for entry in document["audit"])
    assert document["audit"][2]["checksum_before"] == "ops1:0000"
    out = io.StringIO()
    call_command("migrate_status", stdout=out)
    assert "accept-checksum sessions.0001_initial by" in out.getvalue()
    assert "(actor alice): comment fixed" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"applied": ["learning", "0999"]}, "no migration learning.0999"),
        ({"applied": ["learning", "0001"]}, "already applied"),
        ({"rolled_back": ["contenttypes", "0001"]}, "applied migrations depend on"),
        ({"rolled_back": ["learning", "0099_never"]}, "no migration learning.0099_never"),
    ],
)
def test_resolve_refuses_what_would_corrupt_the_history(options, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("migrate_resolve", **options)
    assert refused.value.returncode == 2


# --- drift --------------------------------------------------------------------------

CATALOG = """
CREATE TYPE "Mood" AS ENUM ('LOW', 'HIGH');
CREATE TYPE "Retired" AS ENUM ('X');
CREATE TABLE parents (id text PRIMARY KEY);
CREATE TABLE items (
    id text PRIMARY KEY,
    label text NOT NULL,
    note text,
    size integer DEFAULT 0,
    code text,
    mood "Mood",
    parent_id text REFERENCES parents (id) ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX items_label_key ON items (label);
CREATE INDEX items_note_idx ON items (note);
CREATE INDEX items_size_idx ON items (size);
CREATE INDEX items_code_idx ON items (code);
CREATE TABLE keyed (a integer NOT NULL, b integer NOT NULL, CONSTRAINT keyed_pkey PRIMARY KEY (a));
CREATE TABLE ordered (first integer, second integer);
CREATE TABLE dups (value integer);
CREATE UNIQUE INDEX dups_value_key ON dups (value);
CREATE TABLE dropped (id integer);
CREATE INDEX dropped_id_idx ON dropped (id);
CREATE TABLE django_migrations (id integer);
"""
# One drift of each catalog kind, each expected as exactly one difference.
DRIFT = {
    "CREATE EXTENSION pg_trgm": ("extension", "pg_trgm", "extra", None),
    "ALTER TYPE \"Mood\" ADD VALUE 'MEDIUM'": ("enum", "Mood", "changed", "labels"),
    'DROP TYPE "Retired"': ("enum", "Retired", "missing", None),
    "CREATE TABLE stray (id integer)": ("table", "stray", "extra", None),
    "DROP TABLE dropped": ("table", "dropped", "missing", None),
    "ALTER TABLE items ALTER COLUMN label TYPE varchar(50)": (
        "column",
        "items.label",
        "changed",
        "type",
    ),
    "ALTER TABLE items ALTER COLUMN note SET NOT NULL": (
        "column",
        "items.note",
        "changed",
        "nullable",
    ),
    "ALTER TABLE items ALTER COLUMN size SET DEFAULT 1": (
        "column",
        "items.size",
        "changed",
        "default",
    ),
    "ALTER TABLE items ADD COLUMN extra text": ("column", "items.extra", "extra", None),
    "ALTER TABLE items DROP COLUMN mood": ("column", "items.mood", "missing", None),
    "DROP INDEX items_label_key": ("index", "items.items_label_key", "missing", None),
    "DROP INDEX items_size_idx; CREATE INDEX items_size_idx ON items USING hash (size)": (
        "index",
        "items.items_size_idx",
        "changed",
        "definition",
    ),
    "DROP INDEX items_note_idx; CREATE INDEX items_note_idx ON items (note text_pattern_ops)": (
        "index",
        "items.items_note_idx",
        "changed",
        "definition",
    ),
    "ALTER INDEX items_code_idx RENAME TO items_code_index": (
        "index",
        "items.items_code_idx",
        "renamed",
        "name",
    ),
    "ALTER TABLE items DROP CONSTRAINT items_parent_id_fkey, ADD CONSTRAINT items_parent_id_fkey"
    " FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE CASCADE ON UPDATE CASCADE": (
        "foreign key",
        "items.items_parent_id_fkey",
        "changed",
        "definition",
    ),
    "ALTER TABLE items ADD CONSTRAINT items_size_check CHECK (size >= 0)": (
        "check",
        "items.items_size_check",
        "extra",
        None,
    ),
    "ALTER TABLE keyed DROP CONSTRAINT keyed_pkey, ADD CONSTRAINT keyed_pkey PRIMARY KEY (a, b)": (
        "primary key",
        "keyed",
        "changed",
        "columns",
    ),
    "ALTER TABLE ordered DROP COLUMN first; ALTER TABLE ordered ADD COLUMN first integer": (
        "table",
        "ordered",
        "changed",
        "column order",
    ),
    # A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind.
    "DROP INDEX dups_value_key; INSERT INTO dups VALUES (1), (1)": (
        "index",
        "dups.dups_value_key",
        "changed",
        "valid",
    ),
    # Bookkeeping tables are created on demand by the recorders, not by migrations.
    "DROP TABLE django_migrations": None,
}


def _catalog(url, env):
    with psycopg.connect(url, password=env.get("PGPASSWORD")) as conn, conn.cursor() as cursor:
        return read_catalog(cursor)


def test_each_catalog_difference_is_one_line(scratch_database):
    _, url, env = scratch_database
    run_psql(url, env, CATALOG)
    history = _catalog(url, env)
    run_psql(url, env, *DRIFT)
    concurrently = "CREATE UNIQUE INDEX CONCURRENTLY dups_value_key ON dups (value)"
    failed = subprocess.run(
        [pg_program("psql"), "-X", url, "-c", concurrently], env=env, capture_output=True, text=True
    )
    assert "could not create unique index" in failed.stderr
    database = _catalog(url, env)
    differences = diff_catalogs(history, database)
    found = [(d.kind, d.object, d.change, d.attribute) for d in differences]
    assert sorted(found, key=str) == sorted(filter(None, DRIFT.values()), key=str)
    lines = {d.object: d.line for d in differences}
    assert lines["items.label"] == (
        "column items.label: type is character varying(50) in the database, text in the history"
    )
    assert "ON DELETE CASCADE" in lines["items.items_parent_id_fkey"]
    assert "USING hash (size)" in lines["items.items_size_idx"]
    assert "text_pattern_ops" in lines["items.items_note_idx"]
    assert "(LOW, HIGH, MEDIUM)" in lines["Mood"]
    assert diff_catalogs(database, database) == []


def test_drift_is_clean_on_a_database_its_history_built(history_db):
    _, url, env = history_db
    code, document = status_json(url, env, "--drift")
    assert code == 0, document["drift"]
    assert document["drift"]["clean"] is True
    assert document["drift"]["shadow"].startswith("embedded:")
    assert document["summary"]["drift"] == 0


def test_drift_finds_what_was_changed_by_hand(clone, django_db_blocker):
    _, url, env = clone
    run_psql(
        url,
        env,
        "ALTER TYPE \"MissionStatus\" ADD VALUE 'PAUSED'",
        'ALTER TABLE cards ALTER COLUMN "front" TYPE varchar(500)',
        'ALTER TABLE cards DROP CONSTRAINT "cards_lectureId_fkey", ADD CONSTRAINT '
        '"cards_lectureId_fkey" FOREIGN KEY ("lectureId") REFERENCES lectures (id)'
        " ON DELETE CASCADE ON UPDATE CASCADE",
        "CREATE EXTENSION pg_trgm",
    )
    with django_db_blocker.unblock():
        shadow_server, _ = libpq_target("postgres")
    code, document = status_json(url, env, "--drift", "--shadow-url", shadow_server)
    assert code == 1
    assert document["clean"] is False
    lines = [d["line"] for d in document["drift"]["differences"]]
    assert len(lines) == 4, lines
    assert any(line.startswith("enum MissionStatus: labels") for line in lines)
    assert any(
        line.startswith("column cards.front: type is character varying(500)") for line in lines
    )
    assert any(
        line.startswith("foreign key cards.cards_lectureId_fkey: definition") for line in lines
    )
    assert "extension pg_trgm: in the database, not built by the history" in lines
    shadows = run_psql(
        url, env, "SELECT count(*) FROM pg_database WHERE datname LIKE 'americano_shadow_%'"
    )
    assert shadows.strip() == "0"  # always dropped


def test_model_changes_without_a_migration_are_drift():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert unmigrated_changes(loader) == []
    models_now = ProjectState.from_apps(apps)
    card = models_now.models["learning", "card"]
    card.fields["slug"] = models.TextField(null=True, db_column="slug")
    (change,) = unmigrated_changes(loader, models_now)
    assert (change.kind, change.object, change.change) == ("model", "learning.card", "unmigrated")
    assert (
        change.line == "model learning.card: model change with no migration: Add field slug to card"
    )


# --- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://app:{SECRET}@127.0.0.1:9/americano",
        f"mysql://app:{SECRET}@db.example/americano",
    ],
)
@pytest.mark.parametrize("command", ["migrate_status", "migrate_resolve", "migrate_lint"])
def test_bad_database_urls_are_one_line_errors(command, url):
    args = ["--applied", "learning", "0001"] if command == "migrate_resolve" else []
    assert_one_line_error(manage(command, *args, DATABASE_URL=url))


@pytest.mark.django_db
def test_shadow_problems_are_one_line_errors():
    url, env = libpq_target()
    result = manage(
        "migrate_status",
        "--drift",
        "--shadow-url",
        f"mysql://a:{SECRET}@x/y",
        env=env,
        DATABASE_URL=url,
    )
    assert_one_line_error(result)
    assert_one_line_error(manage("migrate_status", "--shadow-url", "postgresql://x/y", env=env))


# --- reset guard --------------------------------------------------------------------

EMBEDDED = {"NAME": "americano", "EMBEDDED_PGDATA": "/somewhere/.pgdata"}
REMOTE = {"NAME": "americano", "HOST": "db.example"}


@pytest.mark.parametrize(
    ("environment", "settings_dict", "allow", "refused"),
    [
        ("development", EMBEDDED, None, None),
        ("production", EMBEDDED, None, "AMERICANO_ENV is production"),
        ("staging", EMBEDDED, None, "AMERICANO_ENV is staging"),
        ("development", REMOTE, None, "not the embedded development database"),
        ("production", REMOTE, "americano", None),
        ("development", REMOTE, "other", "--allow-reset names 'other'"),
    ],
)
def test_reset_is_for_development_databases_only(
    monkeypatch, environment, settings_dict, allow, refused
):
    monkeypatch.setenv("AMERICANO_ENV", environment)
    refusal = reset_refusal(settings_dict, allow)
    if refused is None:
        assert refusal is None
    else:
        assert refused in refusal
        assert "\n" not in refusal


@pytest.mark.parametrize(
    "overrides",
    [
        {"AMERICANO_ENV": "production", "DJANGO_SECRET_KEY": "test-only"},
        {"AMERICANO_ENV": "staging", "DJANGO_SECRET_KEY": "test-only"},
        {},  # DATABASE_URL: not the embedded database
    ],
)
def test_reset_db_refuses_in_one_line(django_db_setup, django_db_blocker, overrides):
    # A database that does not exist: a reset that went ahead would create it.
    name = f"never_{uuid.uuid4().hex[:10]}"
    with django_db_blocker.unblock():
        url, env = libpq_target(name)
    result = run_python(OUR_RESET_DB, "--noinput", env=env, DATABASE_URL=url, **overrides)
    assert_one_line_error(result)
    assert "--allow-reset" in result.stderr
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
        assert cursor.fetchone() == (0,)


def test_reset_db_with_the_database_named(scratch_database):
    name, url, env = scratch_database
    run_psql(url, env, "CREATE TABLE gone (id int)")
    result = run_python(OUR_RESET_DB, "--noinput", "--allow-reset", name, env=env, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert run_psql(url, env, "SELECT to_regclass('gone') IS NULL").strip() == "t"


@pytest.mark.skipif(
    get_commands().get("reset_db") != "americano",
    reason="manage.py reset_db is django-extensions' until 'americano' precedes "
    "'django_extensions' in INSTALLED_APPS",
)
def test_manage_py_reset_db_is_guarded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        url, env = libpq_target(f"never_{uuid.uuid4().hex[:10]}")
    assert_one_line_error(manage("reset_db", "--noinput", env=env, DATABASE_URL=url))
