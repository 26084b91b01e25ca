"""adopt_prisma on databases as Prisma built them: clean, drifted one way each, or blocked.

Every case is a copy of one template (Prisma's DDL, a realistic
``_prisma_migrations``, demo data: ``tests.adopt_support``), compared with one
history catalog built once for the module, as many drifted copies of
production would be compared with one shadow.
"""

import json
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from americano.ops.adopt import (
    BLOCKED,
    GROUPS,
    PRISMA_MIGRATE_LOCK,
    READY,
    AdoptionRefused,
    ChangedMeanwhile,
    adopt_prisma,
    build_history_catalog,
    fix_script,
)
from americano.ops.adopt.apply import carry_out
from americano.ops.catalog import read_catalog
from tests.adopt_drifts import DRIFTS, SEVERAL
from tests.adopt_support import (
    REPLACED,
    build_prisma_template,
    contents,
    has_table,
    live,
    prisma_row,
)
from tests.commandline import manage
from tests.dbutil import drop_database, pg_program, run_psql, schema_dump, temporary_database
from tests.prisma_ddl import CONTRACT

PARITY_CHECKER = CONTRACT.parents[1] / "tools" / "schema_parity.py"
PRODUCTION = {"AMERICANO_ENV": "production", "DJANGO_SECRET_KEY": "adoption-test-only"}


@pytest.fixture(scope="module")
def template(history_db, django_db_blocker):
    with django_db_blocker.unblock():
        name = build_prisma_template(history_db[0])
    yield name
    with django_db_blocker.unblock():
        drop_database(name)


@pytest.fixture(scope="module")
def built(django_db_blocker):
    """The history catalog, built once (on the test server: the live servers' version)."""
    with django_db_blocker.unblock():
        return build_history_catalog(connection, settings.AMERICANO_SCHEMA_APPS)


@pytest.fixture
def case(template, django_db_blocker):
    """A fresh copy of the template: ``(name, url, env)``."""
    with django_db_blocker.unblock(), temporary_database("adopt_case", template) as target:
        yield target


def parity(url: str, env: dict) -> str:
    """The parity checker's verdict on ``url``; ``_prisma_migrations``, Prisma's own record,
    is in every Prisma-built database and in no contract."""
    checked = subprocess.run(
        [sys.executable, str(PARITY_CHECKER), url, "--ignore-table", "_prisma_migrations"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert checked.returncode in (0, 1), checked.stderr
    return checked.stdout.splitlines()[-1]


def catalog_of(url: str):
    with live(url) as db, db.cursor() as cursor:
        return read_catalog(cursor)


def examine(url: str, built, apply: bool = False):
    with live(url) as db:
        return adopt_prisma(db, apply=apply, built=built)


def _text(finding) -> str:
    return "\n".join(
        [finding.difference.line, *finding.sql, finding.note or "", finding.person or ""]
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", DRIFTS, ids=str)
def test_each_drift_is_found_precisely_and_refused(kind, case, built, tmp_path):
    drift = DRIFTS[kind]
    _, url, env = case
    run_psql(url, env, *drift.sql)
    rows, catalog = contents(url, env), catalog_of(url)

    report = examine(url, built, apply=True)

    (finding,) = report.findings
    difference = finding.difference
    assert (finding.group, difference.kind, difference.object, difference.attribute) == drift.found
    assert drift.says in _text(finding)
    assert finding.mechanical is drift.mechanical
    assert bool(finding.person) is not drift.mechanical
    assert report.outcome == BLOCKED and report.adoption is None
    assert not has_table(url, env, "django_migrations")
    assert contents(url, env) == rows and catalog_of(url) == catalog  # nothing else changed
    if drift.mechanical:  # the --sql-out SQL, run as the file says, makes the next run adopt
        script = tmp_path / "fix.sql"
        script.write_text(fix_script(report))
        psql = [pg_program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(script), url]
        subprocess.run(psql, env=env, check=True, capture_output=True)
        assert examine(url, built).outcome == READY


@pytest.mark.slow
def test_a_failed_or_unfinished_prisma_migration_blocks_and_comes_first(case, built):
    _, url, env = case
    run_psql(
        url,
        env,
        prisma_row("20251110090000_goal_reminders", "failed", 90),
        prisma_row("20251111090000_goal_reminders_index", "unfinished", 91),
    )
    rows = contents(url, env)

    report = examine(url, built, apply=True)

    assert report.findings == [] and report.outcome == BLOCKED
    assert [(row.name, row.state) for row in report.blocking] == [
        ("20251110090000_goal_reminders", "failed"),
        ("20251111090000_goal_reminders_index", "unfinished"),
    ]
    assert 'column "goalType" of relation "study_goals" already exists' in report.blocking[0].line
    assert not has_table(url, env, "django_migrations") and contents(url, env) == rows

    result = manage("adopt_prisma", "--apply", env=env, DATABASE_URL=url)
    assert result.returncode == 1, result.stderr
    out = result.stdout.splitlines()
    failed = next(i for i, line in enumerate(out) if "FAILED" in line)
    assert failed < next(i for i, line in enumerate(out) if line.startswith("Differences"))
    assert "20251110090000_goal_reminders: FAILED" in out[failed]
    assert result.stderr.strip().endswith(
        "not adopted, nothing changed: 2 failed or unfinished Prisma migrations"
    )
    assert not has_table(url, env, "django_migrations") and contents(url, env) == rows


@pytest.fixture(scope="module")
def adopted(template, django_db_blocker):
    """A copy of the template adopted by ``adopt_prisma --apply`` in production (the explicit
    ``--apply`` is all it takes), with what it held before."""
    with django_db_blocker.unblock(), temporary_database("adopt_case", template) as (_, url, env):
        before = contents(url, env), schema_dump(url, env)
        assert parity(url, env).startswith("0 differences")
        result = manage(
            "adopt_prisma",
            "--apply",
            "--format",
            "json",
            "--actor",
            "ops",
            "--reason",
            "taking over production",
            env=env,
            DATABASE_URL=url,
            **PRODUCTION,
        )
        yield url, env, result, before


@pytest.mark.slow
def test_a_clean_database_is_adopted(adopted):
    url, env, result, (rows, schema) = adopted
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["outcome"] == "adopted" and document["clean"] is True
    assert document["summary"]["differences"] == 0
    adoption = document["adoption"]
    assert adoption["recorded"] == [
        "learning.0001_initial",
        "content.0001_initial",
        "behavior.0001_initial",
    ]
    assert {key.partition(".")[0] for key in adoption["ran"]} == {
        "admin",
        "americano",
        "auth",
        "contenttypes",
        "sessions",
    }
    assert adoption["replaces"] == REPLACED
    audit = adoption["audit"]
    assert (audit["action"], audit["app"], audit["name"], audit["actor"]) == (
        "adopt-prisma",
        "prisma",
        REPLACED[-1],
        "ops",
    )
    replaces = f"replaces {len(REPLACED)} Prisma migrations: {', '.join(REPLACED)}"
    assert audit["reason"] == f"taking over production; {replaces}"
    assert contents(url, env) == rows  # every row, _prisma_migrations included, as it was
    assert schema_dump(url, env) == schema  # what the Prisma clients read, unchanged
    sources = run_psql(url, env, "SELECT app, source FROM americano_migration_checksum ORDER BY 1")
    assert "learning|adopted" in sources and "auth|migrate" in sources


@pytest.mark.slow
def test_after_adoption_migrate_has_nothing_to_do_and_status_is_clean(adopted):
    url, env, result, (rows, schema) = adopted
    assert result.returncode == 0, result.stderr
    migrated = manage("migrate", env=env, DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr
    assert "No migrations to apply." in migrated.stdout
    status = manage("migrate_status", "--drift", "--format", "json", env=env, DATABASE_URL=url)
    assert status.returncode == 0, status.stdout
    document = json.loads(status.stdout)
    assert document["summary"]["pending"] == 0 and document["drift"]["clean"] is True
    assert [entry["action"] for entry in document["audit"]] == ["adopt-prisma"]
    assert parity(url, env).startswith("0 differences")
    assert contents(url, env) == rows and schema_dump(url, env) == schema


@pytest.mark.slow
def test_a_second_apply_is_refused_and_changes_nothing(adopted):
    url, env, result, _ = adopted
    assert result.returncode == 0, result.stderr
    rows, applied = contents(url, env), run_psql(url, env, "SELECT count(*) FROM django_migrations")
    again = manage("adopt_prisma", "--apply", env=env, DATABASE_URL=url)
    assert again.returncode == 2
    assert len(again.stderr.strip().splitlines()) == 1
    assert "refusing to adopt: django_migrations already records" in again.stderr
    assert "adopted by adopt_prisma at" in again.stderr
    assert contents(url, env) == rows
    assert run_psql(url, env, "SELECT count(*) FROM django_migrations") == applied


@pytest.mark.slow
def test_the_sql_out_file_mends_several_drifts_and_the_next_apply_adopts(case, tmp_path):
    _, url, env = case
    run_psql(url, env, *(statement for kind in SEVERAL for statement in DRIFTS[kind].sql))
    rows = contents(url, env)
    sql_out = tmp_path / "fix.sql"

    looked = manage(
        "adopt_prisma", "--sql-out", str(sql_out), "--format", "json", env=env, DATABASE_URL=url
    )

    assert looked.returncode == 1, looked.stderr
    document = json.loads(looked.stdout)
    assert list(document) == [
        "format", "generated_at", "database", "server_version", "outcome", "clean", "apply",
        "shadow", "summary", "prisma_migrations", "differences", "sql_out", "adoption",
    ]  # fmt: skip
    assert (document["outcome"], document["sql_out"]) == ("blocked", str(sql_out))
    summary = document["summary"]
    assert (summary["differences"], summary["mechanical"], summary["needs_person"]) == (8, 8, 0)
    assert [len(document["differences"][group]) for group in GROUPS] == [2, 0, 5, 1]
    script = sql_out.read_text()
    assert "psql -v ON_ERROR_STOP=1 -f THIS_FILE" in script
    assert contents(url, env) == rows and not has_table(url, env, "django_migrations")

    psql = [pg_program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(sql_out), url]
    subprocess.run(psql, env=env, check=True, capture_output=True)
    adopted = manage("adopt_prisma", "--apply", env=env, DATABASE_URL=url)
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    assert "adopted: 3 migrations recorded" in adopted.stdout


@pytest.mark.slow
def test_apply_is_refused_while_a_prisma_migrate_holds_its_lock(case, built):
    _, url, env = case
    rows = contents(url, env)
    with psycopg.connect(url, password=env.get("PGPASSWORD"), autocommit=True) as prisma:
        prisma.execute("SELECT pg_advisory_lock(%s)", [PRISMA_MIGRATE_LOCK])  # prisma migrate
        with pytest.raises(AdoptionRefused, match="holds Prisma's migration lock"):
            examine(url, built, apply=True)
    assert contents(url, env) == rows and not has_table(url, env, "django_migrations")


@pytest.mark.slow
def test_a_change_after_the_comparison_is_caught_under_the_lock(case, built):
    _, url, env = case
    with live(url) as db:
        assert adopt_prisma(db, built=built).outcome == READY
        run_psql(url, env, *DRIFTS["missing index"].sql)  # someone, meanwhile
        rows = contents(url, env)
        with pytest.raises(ChangedMeanwhile, match=r"index cards\.cards_courseId_idx: built by"):
            carry_out(db, built, settings.AMERICANO_SCHEMA_APPS, actor=None, reason=None)
    assert contents(url, env) == rows and not has_table(url, env, "django_migrations")
