"""Drift: the catalog comparison, and migrate_status --drift against a shadow database."""

import subprocess

import psycopg
import pytest
from django.apps import apps
from django.db import models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from americano.ops.catalog import diff_catalogs, read_catalog
from americano.ops.drift import unmigrated_changes
from tests.commandline import assert_one_line_error, manage
from tests.dbutil import libpq_target, pg_program, run_psql
from tests.status_support import status_json

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
    # Prisma's record of its migrations stays in an adopted database: not the history's.
    "CREATE TABLE _prisma_migrations (id integer)": None,
}


def _catalog(url, env):
    with psycopg.connect(url, password=env.get("PGPASSWORD")) as conn, conn.cursor() as cursor:
        return read_catalog(cursor)


@pytest.mark.slow
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


@pytest.mark.slow
def test_drift_is_clean_on_a_database_its_history_built(history_db):
    _, url, env = history_db
    code, document = status_json(url, env, "--drift")
    assert code == 0, document["drift"]
    assert document["drift"]["clean"] is True
    assert document["drift"]["shadow"].startswith("embedded:")
    assert document["summary"]["drift"] == 0


@pytest.mark.slow
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


@pytest.mark.slow
def test_drift_refuses_a_shadow_server_of_another_major_version(history_db, plain_postgres):
    _, url, env = history_db
    result = manage(
        "migrate_status", "--drift", "--shadow-url", plain_postgres, env=env, DATABASE_URL=url
    )
    assert_one_line_error(result)
    assert "is PostgreSQL 15 but the live server is PostgreSQL 18" in result.stderr
    assert (
        "pass --shadow-url (or set AMERICANO_SHADOW_URL) to a PostgreSQL 18 server" in result.stderr
    )
