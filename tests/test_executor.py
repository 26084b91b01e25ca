"""The project's migration executor: the schema's migrations applied at once, to the same end.

``americano.db.executor`` applies a migration of ``CreateModel``s and database-only
operations with one rendering of its models and one script of statements; the
database it builds must be the one Django's own executor builds.
"""

import io
import subprocess
import tempfile

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, migrations, models
from django.db.migrations.loader import MigrationLoader

from americano.db.backend.batch import SAVEPOINT
from americano.db.executor import MigrationExecutor, applies_at_once
from americano.db.operations import CreateEnumType
from americano.ops.databases import connection_for_url
from americano.ops.drift import standing_in_as_default
from tests.commandline import manage, run_python
from tests.dbutil import pg_program, run_psql, temporary_database

#: ``migrate`` as it was before: our command, with Django's own executor put back.
STOCK_MIGRATE = """
import sys, django
django.setup()
from unittest import mock
from django.core.management import call_command
from django.db.migrations.executor import MigrationExecutor
import americano.management.commands.migrate as ours
with mock.patch.object(ours, "MigrationExecutor", MigrationExecutor):
    call_command("migrate", "--noinput")
"""


def whole_schema(url: str, env: dict) -> list[str]:
    """``pg_dump -s`` of everything (Django's and the project's own tables too)."""
    dump = subprocess.run(
        [pg_program("pg_dump"), "-s", "--no-owner", url],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line for line in dump.splitlines() if not line.startswith(("\\restrict", "\\unrest"))]


def history_rows(url: str, env: dict) -> tuple[str, str]:
    """The ``django_migrations`` rows in the order applied, and the recorded checksums."""
    return (
        run_psql(url, env, "SELECT app, name FROM django_migrations ORDER BY id"),
        run_psql(
            url, env, "SELECT app, name, checksum FROM americano_migration_checksum ORDER BY 1, 2"
        ),
    )


@pytest.fixture
def scratch_connection(scratch_database, django_db_blocker):
    """A connection to an empty scratch database, standing in as the default one (the atomic
    blocks of a migration are opened by alias): ``(connection, url, env)``."""
    _, url, env = scratch_database
    with django_db_blocker.unblock():
        connection = connection_for_url(url)
        try:
            with standing_in_as_default(connection):
                yield connection, url, env
        finally:
            connection.close()


@pytest.mark.slow
def test_migrate_builds_what_djangos_executor_builds_and_says_the_same(
    scratch_database, django_db_blocker
):
    _, url, env = scratch_database
    with temporary_database("stock", blocker=django_db_blocker) as (_, stock_url, _):
        ours = manage("migrate", "--noinput", env=env, DATABASE_URL=url)
        stock = run_python(STOCK_MIGRATE, env=env, DATABASE_URL=stock_url)
        assert ours.returncode == 0 and stock.returncode == 0, ours.stderr + stock.stderr
        assert "Applying learning.0001_initial... OK" in ours.stdout
        assert ours.stdout == stock.stdout
        assert whole_schema(url, env) == whole_schema(stock_url, env)
        assert history_rows(url, env) == history_rows(stock_url, env)


def test_the_schema_migrations_apply_at_once_and_djangos_own_their_way():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    at_once = {key for key, migration in graph.nodes.items() if applies_at_once(migration)}
    assert {("learning", "0001_initial"), ("content", "0001_initial")} <= at_once
    assert ("behavior", "0001_initial") in at_once
    # AlterField reads the states before and after it; RunPython runs code on the models.
    assert ("auth", "0002_alter_permission_name_max_length") not in at_once
    assert ("auth", "0011_update_proxy_permissions") not in at_once


class OwnCreateModel(migrations.CreateModel):
    """A subclass may do more in ``database_forwards`` than create the model."""


def _migration(operations, atomic=True) -> migrations.Migration:
    migration = migrations.Migration("0001_case", "cases")
    migration.operations = operations
    migration.atomic = atomic
    return migration


def test_only_known_operations_of_an_atomic_migration_apply_at_once():
    create = migrations.CreateModel("Item", [("id", models.AutoField(primary_key=True))])
    enum = CreateEnumType("Mood", ["LOW", "HIGH"])
    assert applies_at_once(_migration([enum, create]))
    assert not applies_at_once(_migration([enum, create], atomic=False))
    assert not applies_at_once(
        _migration([create, migrations.AddField("Item", "note", models.TextField(null=True))])
    )
    assert not applies_at_once(_migration([create, migrations.RunSQL("SELECT 1")]))
    assert not applies_at_once(_migration([OwnCreateModel("Item", list(create.fields))]))


def test_a_schema_migration_reaches_the_server_as_one_script_of_sqlmigrates_statements(
    scratch_connection,
):
    connection, _, _ = scratch_connection
    shown = io.StringIO()
    call_command("sqlmigrate", "learning", "0001_initial", stdout=shown)
    statements = [
        line.removesuffix(";")
        for line in shown.getvalue().splitlines()
        if line and not line.startswith("--") and line not in ("BEGIN;", "COMMIT;")
    ]
    scripts = []

    def keep_scripts(execute, sql, params, many, context):
        if str(sql).startswith(f"SAVEPOINT {SAVEPOINT}"):
            scripts.append(str(sql))
        return execute(sql, params, many, context)

    connection.ensure_connection()
    with tempfile.TemporaryFile("w+") as trace, connection.execute_wrapper(keep_scripts):
        connection.connection.pgconn.trace(trace.fileno())  # libpq's own record of messages
        connection.connection.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
        MigrationExecutor(connection).migrate([("learning", "0001_initial")])
        connection.connection.pgconn.untrace()
        trace.seek(0)
        # One line per message the client sent (a message's own newlines aside).
        sent = [line.split("\t") for line in trace if line.startswith("F\t")]

    assert len(statements) > 150
    assert [script.split("\n;\n")[1:] for script in scripts] == [statements]
    queries = [int(length) for _, length, kind, *_ in sent if kind == "Query"]
    assert len(queries) < 15  # the script, BEGIN, COMMIT, recording, Django's look-ups
    assert max(queries) > sum(len(statement) for statement in statements)


def test_a_failing_statement_is_named_and_the_whole_migration_rolled_back(scratch_connection):
    connection, url, env = scratch_connection
    run_psql(url, env, "CREATE TABLE missions (id integer)")  # in the way, mid-migration
    with pytest.raises(DatabaseError) as failed:
        MigrationExecutor(connection).migrate([("learning", "0001_initial")])
    assert 'relation "missions" already exists' in str(failed.value)
    assert any(
        note.startswith('statement: CREATE TABLE "missions"') for note in failed.value.__notes__
    )
    left = run_psql(
        url,
        env,
        "SELECT count(*) FROM pg_type WHERE typtype = 'e'",
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'missions'"
        " AND tablename <> 'django_migrations'",
        "SELECT count(*) FROM django_migrations",
    )
    assert left.split() == ["0", "0", "0"]


def test_a_query_between_held_statements_sees_them(scratch_connection):
    connection, _, _ = scratch_connection
    with connection.schema_editor(batch=True) as editor:
        editor.execute("CREATE TABLE first (id integer)")
        editor.execute("INSERT INTO first VALUES (1)")
        with connection.cursor() as cursor:  # as introspection or CreateExtension's look-up do
            cursor.execute("SELECT count(*) FROM first")
            seen = cursor.fetchone()[0]
        editor.execute("DROP TABLE first")
    assert seen == 1
