"""What migrate builds is the production schema, exactly."""

import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.dbutil import libpq_target, run_psql, schema_dump, sql
from tests.prisma_ddl import CONTRACT, load_contract, prisma_ddl

PARITY_CHECKER = CONTRACT.parents[1] / "tools" / "schema_parity.py"
CONTRACT_TABLES = tuple(load_contract()["tables"])

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_parity_checker_finds_no_difference():
    url, env = libpq_target()
    result = subprocess.run(
        [sys.executable, str(PARITY_CHECKER), url], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("0 differences")


@pytest.mark.slow
def test_schema_dump_equals_the_prisma_built_database(scratch_database):
    _, prisma_url, env = scratch_database
    run_psql(prisma_url, env, prisma_ddl(load_contract()))
    url, env = libpq_target()
    assert schema_dump(url, env) == schema_dump(prisma_url, env)


def test_no_like_indexes():
    assert sql("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_like'") == []


def test_foreign_keys_are_not_deferrable_and_carry_actions():
    rows = sql(
        """SELECT conname, condeferrable, confdeltype, confupdtype FROM pg_constraint
           WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)""",
        [list(CONTRACT_TABLES)],
    )
    assert len(rows) == 67
    assert not [name for name, deferrable, *_ in rows if deferrable]
    assert {update for *_, update in rows} == {"c"}


def test_uniqueness_is_unique_indexes_not_constraints():
    constraints = sql(
        "SELECT conname FROM pg_constraint"
        " WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)",
        [list(CONTRACT_TABLES)],
    )
    assert constraints == []
    unique_indexes = sql(
        """SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
           WHERE i.indisunique AND NOT i.indisprimary AND c.relname = ANY(%s)""",
        [list(CONTRACT_TABLES)],
    )
    assert unique_indexes == [(27,)]


def test_models_and_migrations_agree():
    # makemigrations --check exits 1 when a migration would be written.
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_migration_reverses_to_zero_and_back():
    url, env = libpq_target()
    before = schema_dump(url, env)
    call_command("migrate", "learning", "zero", verbosity=0)
    remaining = sql(
        "SELECT count(*) FROM pg_class WHERE relname = ANY(%s)", [list(CONTRACT_TABLES)]
    )
    enum_types = sql("SELECT count(*) FROM pg_type WHERE typtype = 'e'")
    call_command("migrate", verbosity=0)
    assert remaining == [(0,)]
    assert enum_types == [(0,)]
    assert schema_dump(url, env) == before
