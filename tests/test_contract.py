"""Every command keeps its contract under bad input, as an operator would meet it.

One table, one row per command of the project (a command added without a row
fails ``test_every_command_has_a_row``). Each row is run as ``manage.py`` in a
child process against a copy of a migrated database, fed the classes of bad input
that apply to it, and judged the same way: the documented exit code, one line on
stderr, no traceback, no password, and the database exactly as before.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.core.management import get_commands

from tests.commandline import SECRET, manage
from tests.dbutil import temporary_database

pytestmark = pytest.mark.slow  # each case runs manage.py in a child process

#: The apps whose commands the table must cover.
PROJECT_APPS = {"americano", "demo"}
UNREACHABLE = f"postgresql://app:{SECRET}@127.0.0.1:9/americano?connect_timeout=3"
MALFORMED = f"postgresql://app:{SECRET}@db.example:abc/americano"
PRODUCTION = {"AMERICANO_ENV": "production", "DJANGO_SECRET_KEY": "contract-test-only"}
HUGE = "99999999999999999999"


@dataclass(frozen=True)
class Row:
    """How one command is run when all is well, and which bad inputs apply to it.

    ``argv`` is a run that succeeds (``ok`` is its exit code) and changes nothing;
    ``{backup}``, ``{tmp}`` and ``{file}`` in it stand for a real backup, a writable
    folder and a regular file. ``probe`` is the run that meets an unknown alias or
    an unreachable server (default: ``argv``; for a destructive command, the
    destructive run, which must fail before it does anything). ``database`` says
    whether it reads the database; ``alias`` whether it takes ``--database``;
    ``cases`` are its own bad inputs: ``(label, argv, env, exit code)``.
    """

    argv: tuple[str, ...]
    ok: int = 0
    probe: tuple[str, ...] = ()
    database: bool = True
    alias: bool = True
    cases: tuple[tuple[str, tuple[str, ...], dict, int], ...] = field(default=())


ROWS = {
    "adopt_prisma": Row(
        ("adopt_prisma",),
        ok=2,  # a database Django owns: refused, nothing changed
        probe=("adopt_prisma", "--apply"),
        cases=(
            ("actor without apply", ("adopt_prisma", "--actor", "me"), {}, 2),
            ("empty sql-out", ("adopt_prisma", "--sql-out", ""), {}, 2),
            ("unwritable sql-out", ("adopt_prisma", "--sql-out", "{file}/below/x.sql"), {}, 2),
            ("empty shadow url", ("adopt_prisma", "--shadow-url", ""), {}, 2),
            ("malformed shadow url", ("adopt_prisma", "--shadow-url", MALFORMED), {}, 2),
            ("production apply", ("adopt_prisma", "--apply"), PRODUCTION, 2),
        ),
    ),
    "backfill": Row(
        ("backfill", "--status"),
        cases=(
            ("huge batch", ("backfill", "x", "--batch-size", HUGE), {}, 2),
            ("nan sleep", ("backfill", "x", "--sleep", "nan"), {}, 2),
            ("infinite sleep", ("backfill", "x", "--sleep", "inf"), {}, 2),
            ("zero workers", ("backfill", "x", "--workers", "0"), {}, 2),
            ("huge workers", ("backfill", "x", "--workers", HUGE), {}, 2),
            ("nan max lag", ("backfill", "x", "--max-lag", "nan"), {}, 2),
            ("negative lock waits", ("backfill", "x", "--max-lock-waits", "-1"), {}, 2),
            ("empty replica url", ("backfill", "x", "--replica-url", ""), {}, 2),
            ("malformed replica url", ("backfill", "x", "--replica-url", MALFORMED), {}, 2),
            ("empty name", ("backfill", ""), {}, 2),
            ("unknown name", ("backfill", "no.such.backfill"), {}, 2),
        ),
    ),
    "backup": Row(
        ("backup", "--list", "--dir", "{tmp}"),
        probe=("backup", "--dir", "{tmp}"),  # --list works with the server down
        cases=(
            ("unwritable folder", ("backup", "--dir", "{file}/below-a-file"), {}, 2),
            ("empty label", ("backup", "--dir", "{tmp}", "--label", ""), {}, 2),
            (
                "huge retention",
                ("backup", "--prune", "--dir", "{tmp}", "--keep-days", HUGE),
                {},
                2,
            ),
            ("verify a folder", ("backup", "--verify", "{tmp}"), {}, 2),
            ("verify a foreign file", ("backup", "--verify", "{file}"), {}, 1),
        ),
    ),
    "dbinspect": Row(
        ("dbinspect",),
        cases=(("negative limit", ("dbinspect", "--limit", "-1"), {}, 2),),
    ),
    "erd": Row(
        ("erd", "--check"),
        database=False,
        alias=False,
        cases=(("unwritable folder", ("erd", "--output", "{file}/below-a-file"), {}, 2),),
    ),
    "export_prisma_schema": Row(
        ("export_prisma_schema", "--output", "{tmp}/schema.prisma"),
        database=False,
        alias=False,
        cases=(
            ("stale file", ("export_prisma_schema", "--check", "{file}"), {}, 1),
            ("check a folder", ("export_prisma_schema", "--check", "{tmp}"), {}, 2),
            ("unwritable output", ("export_prisma_schema", "--output", "{file}/below"), {}, 2),
            ("empty output path", ("export_prisma_schema", "--output", ""), {}, 2),
            (
                "output and check",
                ("export_prisma_schema", "--output", "{tmp}/x", "--check", "{file}"),
                {},
                2,
            ),
        ),
    ),
    "flush": Row(
        ("flush", "--help"),
        probe=("flush", "--noinput"),
        cases=(("production", ("flush", "--noinput"), PRODUCTION, 2),),
    ),
    "makebackfill": Row(
        ("makebackfill", "learning", "fill something", "--dry-run"),
        database=False,
        alias=False,
        cases=(
            ("empty description", ("makebackfill", "learning", "", "--dry-run"), {}, 2),
            ("unknown app", ("makebackfill", "nosuchapp", "x", "--dry-run"), {}, 2),
            ("third-party app", ("makebackfill", "auth", "x", "--dry-run"), {}, 2),
        ),
    ),
    "makemigrations": Row(
        ("makemigrations", "--check", "--dry-run"),
        database=False,
        alias=False,
        cases=(("unknown app", ("makemigrations", "nosuchapp", "--check"), {}, 2),),
    ),
    "migrate": Row(
        ("migrate", "--check"),
        cases=(
            ("unknown app", ("migrate", "nosuchapp"), {}, 2),
            ("unknown migration", ("migrate", "learning", "0999"), {}, 2),
            ("production unapply", ("migrate", "learning", "zero"), PRODUCTION, 2),
            ("production prune", ("migrate", "learning", "--prune"), PRODUCTION, 2),
        ),
    ),
    "migrate_deploy": Row(
        ("migrate_deploy",),  # nothing pending: nothing to do, nothing changed
        cases=(
            ("zero lock timeout", ("migrate_deploy", "--lock-timeout", "0"), {}, 2),
            ("not a duration", ("migrate_deploy", "--statement-timeout", "soon"), {}, 2),
            ("nan lock wait", ("migrate_deploy", "--lock-wait", "nan"), {}, 2),
            ("huge lock wait", ("migrate_deploy", "--lock-wait", HUGE), {}, 2),
            ("zero retries", ("migrate_deploy", "--retries", "0"), {}, 2),
            ("infinite back-off", ("migrate_deploy", "--retry-backoff", "inf"), {}, 2),
            ("no such check-sql", ("migrate_deploy", "--check-sql", "{tmp}/none.sql"), {}, 2),
            ("check-sql a folder", ("migrate_deploy", "--check-sql", "{tmp}"), {}, 2),
            ("unwritable report", ("migrate_deploy", "--report", "{file}/below/x.json"), {}, 2),
            (
                "unwritable prisma schema",
                ("migrate_deploy", "--prisma-schema", "{file}/below/schema.prisma"),
                {},
                2,
            ),
            ("empty direct url", ("migrate_deploy", "--direct-url", ""), {}, 2),
            ("malformed direct url", ("migrate_deploy", "--direct-url", MALFORMED), {}, 2),
        ),
    ),
    "migrate_lint": Row(
        ("migrate_lint",),
        cases=(
            ("unwritable report", ("migrate_lint", "--output", "{file}/below/x.json"), {}, 2),
            ("unknown app", ("migrate_lint", "nosuchapp"), {}, 2),
            ("unknown migration", ("migrate_lint", "learning", "0999"), {}, 2),
            ("bad large-table limit", ("migrate_lint", "--large-table", "lots"), {}, 2),
        ),
    ),
    "migrate_resolve": Row(
        ("migrate_resolve", "--applied", "learning", "0001"),
        ok=2,  # already applied: refused, nothing changed
        cases=(
            ("empty names", ("migrate_resolve", "--applied", "", ""), {}, 2),
            ("no reason", ("migrate_resolve", "--accept-checksum", "learning", "0001"), {}, 2),
        ),
    ),
    "migrate_status": Row(
        ("migrate_status",),
        cases=(
            ("unwritable report", ("migrate_status", "--output", "{file}/below/x.json"), {}, 2),
            ("empty shadow url", ("migrate_status", "--drift", "--shadow-url", ""), {}, 2),
            (
                "malformed shadow url",
                ("migrate_status", "--drift", "--shadow-url", MALFORMED),
                {},
                2,
            ),
        ),
    ),
    "print_settings": Row(("print_settings", "DATABASES"), database=False, alias=False),
    "reset_db": Row(
        ("reset_db", "--help"),
        probe=("reset_db", "--noinput"),
        cases=(
            ("production", ("reset_db", "--noinput"), PRODUCTION, 2),
            ("not the embedded database", ("reset_db", "--noinput"), {}, 2),
            ("empty name", ("reset_db", "--noinput", "--allow-reset", ""), {}, 2),
        ),
    ),
    "restore": Row(
        ("restore", "{backup}"),
        ok=2,  # the target has tables and no --force: refused, nothing changed
        cases=(
            ("production", ("restore", "{backup}", "--force"), PRODUCTION, 2),
            ("empty target url", ("restore", "{backup}", "--target-url", "", "--force"), {}, 2),
            ("malformed target url", ("restore", "{backup}", "--target-url", MALFORMED), {}, 2),
            ("no such file", ("restore", "{tmp}/missing.dump", "--force"), {}, 2),
            ("a folder", ("restore", "{tmp}", "--force"), {}, 2),
            ("zero jobs", ("restore", "{backup}", "--jobs", "0"), {}, 2),
        ),
    ),
    "seed_demo": Row(
        ("seed_demo", "--help"),
        probe=("seed_demo", "--users", "1"),
        cases=(
            ("production", ("seed_demo", "--users", "1"), PRODUCTION, 2),
            ("huge user count", ("seed_demo", "--users", HUGE), {}, 2),
            ("zero users", ("seed_demo", "--users", "0"), {}, 2),
            ("year one", ("seed_demo", "--until", "0001-01-01"), {}, 2),
            ("year 9999", ("seed_demo", "--until", "9999-12-31"), {}, 2),
            ("empty date", ("seed_demo", "--until", ""), {}, 2),
        ),
    ),
}


def project_commands() -> set[str]:
    return {name for name, app in get_commands().items() if app in PROJECT_APPS}


def test_every_command_has_a_row():
    assert project_commands() == set(ROWS)


@dataclass(frozen=True)
class Case:
    command: str
    label: str
    argv: tuple[str, ...]
    env: dict
    code: int


def cases() -> list[Case]:
    """Every bad input of every row (and each row's good run), as cases."""
    found = []
    for command, row in ROWS.items():
        probe = row.probe or row.argv
        found += [
            Case(command, "good run", row.argv, {}, row.ok),
            Case(command, "malformed DATABASE_URL", probe, {"DATABASE_URL": MALFORMED}, 2),
            Case(command, "empty DATABASE_URL", probe, {"DATABASE_URL": ""}, 2),
        ]
        if row.alias:
            found.append(Case(command, "unknown alias", (*probe, "--database", "nosuch"), {}, 2))
        if row.database:
            found.append(
                Case(command, "unreachable server", probe, {"DATABASE_URL": UNREACHABLE}, 2)
            )
        found += [Case(command, *case) for case in row.cases]
    return found


CASES = cases()


@pytest.fixture(scope="module")
def target(history_db, django_db_blocker, tmp_path_factory):
    """A migrated database the cases run against, a real backup of it, a writable folder and
    a regular file: ``(url, env, places)``."""
    folder = tmp_path_factory.mktemp("contract")
    regular = folder / "a-file"
    regular.write_text("not a backup\n")
    places = {"tmp": str(folder / "scratch"), "file": str(regular)}
    Path(places["tmp"]).mkdir()
    with temporary_database("contract", history_db[0], django_db_blocker) as (_, url, env):
        made = manage(
            "backup",
            "--dir",
            str(folder / "backups"),
            "--format",
            "json",
            env=env,
            DATABASE_URL=url,
        )
        assert made.returncode == 0, made.stderr
        places["backup"] = json.loads(made.stdout)["file"]
        yield url, env, places


CONTENTS = """
DO $$ DECLARE t record; BEGIN
  CREATE TEMP TABLE contents (name text, digest text);
  FOR t IN SELECT schemaname, relname FROM pg_stat_user_tables
           WHERE schemaname !~ '^pg_temp' LOOP
    EXECUTE format(
      'INSERT INTO contents SELECT %L, md5(coalesce(string_agg(md5(r::text), '''' ORDER BY'
      ' md5(r::text)), '''')) FROM %I.%I r', t.schemaname || '.' || t.relname,
      t.schemaname, t.relname);
  END LOOP;
END $$
"""
FINGERPRINT = """
SELECT (SELECT string_agg(name || '=' || digest, ',' ORDER BY name) FROM contents)
    || '|' || (SELECT md5(string_agg(attrelid::regclass || '.' || attname || ':'
                                     || format_type(atttypid, atttypmod), ','
                                     ORDER BY attrelid::regclass::text, attnum))
               FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped)
"""


def fingerprint(url: str, env: dict) -> str:
    """A digest of every row of every table (applied migrations included) and of the columns."""
    with psycopg.connect(url, password=env.get("PGPASSWORD"), autocommit=True) as db:
        db.execute(CONTENTS)
        return db.execute(FINGERPRINT).fetchone()[0]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.command}: {case.label}")
def test_the_contract_holds(case, target):
    url, env, places = target
    argv = [arg.format(**places) for arg in case.argv]
    before = fingerprint(url, env)
    result = manage(*argv, env=env, **{"DATABASE_URL": url, **case.env})
    output = result.stdout + result.stderr
    assert result.returncode == case.code, output[-2000:]
    assert "Traceback" not in output
    assert SECRET not in output
    if case.code:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr[-2000:]
    assert fingerprint(url, env) == before, "the database changed"


@pytest.mark.parametrize(
    "command", sorted(name for name, row in ROWS.items() if row.alias), ids=str
)
def test_errors_are_json_for_machines(command, target):
    """With --format json, a machine reads one JSON object on stdout, also on an error."""
    url, env, places = target
    if "--format" not in manage(command, "--help", env=env, DATABASE_URL=url).stdout:
        pytest.skip(f"{command} is one of Django's: its output is Django's")
    argv = [arg.format(**places) for arg in ROWS[command].probe or ROWS[command].argv]
    result = manage(*argv, "--format", "json", "--database", "nosuch", env=env, DATABASE_URL=url)
    assert result.returncode == 2
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert "nosuch" in document["error"]["message"]
