"""reset_db: for development databases only, and guarded everywhere else."""

import uuid

import pytest
from django.core.management import get_commands

from americano.ops.reset import reset_refusal
from tests.commandline import assert_one_line_error, manage, run_python
from tests.dbutil import create_database, database_exists, drop_database, libpq_target, run_psql

OUR_RESET_DB = (
    "import sys, django; django.setup(); "
    "from americano.management.commands.reset_db import Command; "
    "Command().run_from_argv(['manage.py', 'reset_db', *sys.argv[1:]])"
)
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
    with django_db_blocker.unblock():
        assert not database_exists(name)


pytestmark = pytest.mark.slow  # each test runs manage.py in a child process


def test_reset_db_with_the_database_named(scratch_database):
    name, url, env = scratch_database
    run_psql(url, env, "CREATE TABLE gone (id int)")
    result = run_python(OUR_RESET_DB, "--noinput", "--allow-reset", name, env=env, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert run_psql(url, env, "SELECT to_regclass('gone') IS NULL").strip() == "t"


def test_manage_py_reset_db_is_ours_and_guarded(django_db_setup, django_db_blocker):
    # django-extensions' reset_db, which knows no guard, wins if 'django_extensions'
    # precedes 'americano' in INSTALLED_APPS.
    assert get_commands()["reset_db"] == "americano"
    with django_db_blocker.unblock():
        url, env = libpq_target(f"never_{uuid.uuid4().hex[:10]}")
    assert_one_line_error(manage("reset_db", "--noinput", env=env, DATABASE_URL=url))


def test_a_database_name_cannot_write_sql(django_db_blocker):
    """Issue 11: a database named ``x" WITH (FORCE) --`` made reset_db drop ``x``."""
    victim = f"victim_{uuid.uuid4().hex[:8]}"
    hostile = f'{victim}" WITH (FORCE) --'
    with django_db_blocker.unblock():
        create_database(victim)
        create_database(hostile)
        url, env = libpq_target(hostile)
    try:
        result = run_python(
            OUR_RESET_DB, "--noinput", "--allow-reset", hostile, env=env, DATABASE_URL=url
        )
        assert result.returncode == 0, result.stderr
        with django_db_blocker.unblock():
            assert database_exists(victim)
            assert database_exists(hostile)  # reset: dropped and made again, by its own name
    finally:
        with django_db_blocker.unblock():
            drop_database(victim)
            drop_database(hostile)
