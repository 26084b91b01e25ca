"""What the tests of ``migrate_deploy`` share: a template database, and running deployers.

Each test gets a copy of one template (``deploy_db``): the project migrated, with
``deploy_base`` (the table ``deploy_items``) applied by ``migrate_deploy`` itself.
Deployers run as child processes with ``tests.deploy_settings`` and a scenario
(``tests/deploy_app/scenarios``) as the pending migrations; timeouts are short.
"""

import json
import subprocess

import psycopg
import pytest

from tests.commandline import finish, manage, start_manage
from tests.dbutil import temporary_database

SETTINGS = "tests.deploy_settings"
#: Short timeouts: a lock timeout in 200 ms, tries 0.1 s apart.
FAST = ("--lock-timeout", "200ms", "--retry-backoff", "0.1")
#: The environment of a production deploy.
PRODUCTION = {"AMERICANO_ENV": "production", "DJANGO_SECRET_KEY": "deploy-test-only"}
#: The key of the deploy lock of the current database, as the deployers take it.
LOCK_KEY = (
    "(x'6465706C'::bigint << 32)"
    " | (SELECT oid::bigint FROM pg_database WHERE datname = current_database())"
)


def _command(args: tuple[str, ...], scenario: str | None, overrides: dict) -> tuple[tuple, dict]:
    extra = {"AMERICANO_DEPLOY_SCENARIO": scenario} if scenario else {}
    return ("migrate_deploy", "--format", "json", *args), {**extra, **overrides}


def deploy(url: str, env: dict, *args: str, scenario: str | None = None, **overrides: str):
    """``manage.py migrate_deploy --format json ARGS``: the result and its JSON document."""
    argv, more = _command(args, scenario, overrides)
    result = manage(*argv, env=env, settings=SETTINGS, DATABASE_URL=url, **more)
    return result, document_of(result)


def start_deploy(url: str, env: dict, *args: str, scenario: str | None = None, **overrides: str):
    """A deployer started in the background (a process group of its own)."""
    argv, more = _command(args, scenario, overrides)
    return start_manage(*argv, env=env, settings=SETTINGS, DATABASE_URL=url, **more)


def finished(process: subprocess.Popen, timeout: float = 120):
    """A background deployer's result and its JSON document."""
    result = finish(process, timeout)
    return result, document_of(result)


def document_of(result: subprocess.CompletedProcess) -> dict | None:
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        return None


def connect(url: str, env: dict, **options) -> psycopg.Connection:
    """A session of the test's own on ``url`` (autocommit unless told otherwise)."""
    options.setdefault("autocommit", True)
    return psycopg.connect(url, password=env.get("PGPASSWORD"), **options)


def query(url: str, env: dict, statement: str, params=()) -> list[tuple] | None:
    """Run ``statement`` in a session of its own: its rows, or None for one without any."""
    with connect(url, env) as db:
        cursor = db.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def columns(url: str, env: dict, table: str = "deploy_items") -> list[str]:
    rows = query(
        url,
        env,
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped ORDER BY attnum",
        (table,),
    )
    return [name for (name,) in rows]


def applied(url: str, env: dict, app: str = "deploy_app") -> list[str]:
    """The migrations of ``app`` recorded as applied, in order."""
    rows = query(url, env, "SELECT name FROM django_migrations WHERE app = %s ORDER BY id", (app,))
    return [name for (name,) in rows]


def checksums(url: str, env: dict, app: str = "deploy_app") -> list[str]:
    rows = query(
        url,
        env,
        "SELECT name FROM americano_migration_checksum WHERE app = %s ORDER BY name",
        (app,),
    )
    return [name for (name,) in rows]


def deployer_sessions(url: str, env: dict, condition: str) -> int:
    """How many sessions of deployers (by ``application_name``) meet the SQL ``condition``."""
    rows = query(
        url,
        env,
        "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE"
        f" 'americano migrate_deploy%%' AND {condition}",
    )
    return rows[0][0]


def deploy_lock_holders(url: str, env: dict) -> list[int]:
    """The pids holding the deploy lock of ``url``'s database."""
    rows = query(
        url,
        env,
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
        " AND classid = x'6465706C'::bigint::oid"
        " AND objid = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    return [pid for (pid,) in rows]


@pytest.fixture(scope="session")
def deploy_template(history_db, django_db_blocker):
    """The project migrated with checksums, plus ``deploy_base``: ``(name, url, env)``."""
    with temporary_database("deploy_template", history_db[0], django_db_blocker) as (
        name,
        url,
        env,
    ):
        result, document = deploy(url, env)
        assert result.returncode == 0, result.stderr
        assert document["applied"] == ["deploy_base.0001_items"]
        yield name, url, env


@pytest.fixture
def deploy_db(deploy_template, django_db_blocker):
    """A fresh copy of the template: ``(name, url, env)``, dropped afterwards."""
    with temporary_database("deploy", deploy_template[0], django_db_blocker) as database:
        yield database
