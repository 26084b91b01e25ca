"""migrate_status: checksums that survive reformatting, and where each migration stands.

Every state is created for real: a history database is built once by ``migrate``
with the checksum recorder connected (as ``AmericanoConfig.ready`` connects it),
each test works on a copy of it (``CREATE DATABASE ... TEMPLATE``), and the
commands run as operators run them, with ``DATABASE_URL`` pointing at the copy.
"""

import importlib.util
import json
import textwrap
import uuid

import pytest

from americano.ops.checksums import migration_checksum
from tests.commandline import SECRET, assert_one_line_error, manage, run_python
from tests.dbutil import (
    libpq_target,
    run_psql,
)
from tests.status_support import RECORDING_MIGRATE, by_key, in_process_status, status_json

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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.django_db
def test_status_on_the_embedded_test_database():
    document = in_process_status(clean=True)
    assert document["database"].startswith("embedded:")
    assert {m["state"] for m in document["migrations"]} == {"applied"}


# --- errors -------------------------------------------------------------------------


@pytest.mark.slow
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


@pytest.mark.slow
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
