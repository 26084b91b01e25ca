"""adopt_prisma refuses, in one line and with nothing changed, what it must not take over:
a database Django owns, one Prisma Migrate does not manage, and a shadow of another
PostgreSQL major version."""

import json

import pytest
from django.db import connection

from americano.ops.databases import connection_for_url
from americano.ops.shadow import ShadowServerError, shadow_server
from tests.adopt_support import contents, has_table
from tests.commandline import assert_one_line_error, manage
from tests.dbutil import run_psql
from tests.prisma_ddl import PRISMA_MIGRATIONS_DDL

pytestmark = pytest.mark.slow  # each case runs manage.py in a child process


def test_a_database_django_owns_is_refused(clone):
    _, url, env = clone
    rows = contents(url, env)
    applied = run_psql(url, env, "SELECT count(*) FROM django_migrations")
    result = manage("adopt_prisma", "--apply", env=env, DATABASE_URL=url)
    assert_one_line_error(result)
    assert "refusing to adopt: django_migrations already records" in result.stderr
    assert "Django owns this database" in result.stderr
    assert contents(url, env) == rows
    assert run_psql(url, env, "SELECT count(*) FROM django_migrations") == applied


def test_a_database_without_prisma_migrations_is_refused(scratch_database):
    _, url, env = scratch_database
    result = manage("adopt_prisma", "--apply", "--format", "json", env=env, DATABASE_URL=url)
    assert_one_line_error(result)
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "input"
    assert error["message"].startswith("refusing to adopt: the database has no _prisma_migrations")
    assert not has_table(url, env, "django_migrations")


@pytest.fixture
def prisma_managed(scratch_database):
    """An empty database with Prisma's ``_prisma_migrations``: adoption gets as far as the
    shadow."""
    _, url, env = scratch_database
    run_psql(url, env, PRISMA_MIGRATIONS_DDL)
    return url, env


@pytest.mark.parametrize("how", ["--shadow-url", "AMERICANO_SHADOW_URL"])
def test_a_shadow_server_of_another_major_version_is_refused(how, prisma_managed, plain_postgres):
    url, env = prisma_managed
    options = ("--shadow-url", plain_postgres) if how == "--shadow-url" else ()
    overrides = {"AMERICANO_SHADOW_URL": plain_postgres} if how != "--shadow-url" else {}
    result = manage("adopt_prisma", *options, env=env, DATABASE_URL=url, **overrides)
    assert_one_line_error(result)
    line = result.stderr
    assert "the shadow server (postgresql://postgres@/postgres?host=" in line
    assert "is PostgreSQL 15 but the live server is PostgreSQL 18" in line
    assert "pass --shadow-url (or set AMERICANO_SHADOW_URL) to a PostgreSQL 18 server" in line
    assert not has_table(url, env, "django_migrations")


@pytest.mark.django_db
def test_the_embedded_server_is_no_shadow_for_a_server_of_another_version(plain_postgres, settings):
    settings.AMERICANO_SHADOW_URL = None
    live = connection_for_url(plain_postgres)
    try:
        with pytest.raises(ShadowServerError) as refused:
            shadow_server(live)
    finally:
        live.close()
    assert str(refused.value).startswith(
        "the embedded server is PostgreSQL 18 but the live server is PostgreSQL 15"
    )
    accepted = shadow_server(connection)  # the test server: same major
    assert accepted.pg_version // 10000 == 18
    accepted.close()


def test_actor_and_reason_belong_to_apply(prisma_managed):
    url, env = prisma_managed
    result = manage("adopt_prisma", "--reason", "because", env=env, DATABASE_URL=url)
    assert_one_line_error(result)
    assert "--actor and --reason go into the audit row of --apply" in result.stderr


def test_a_table_named_prisma_migrations_that_is_not_prismas_is_refused(scratch_database):
    _, url, env = scratch_database
    run_psql(url, env, "CREATE TABLE _prisma_migrations (id integer)")
    result = manage("adopt_prisma", env=env, DATABASE_URL=url)
    assert_one_line_error(result)
    assert "_prisma_migrations is not Prisma Migrate's table" in result.stderr
