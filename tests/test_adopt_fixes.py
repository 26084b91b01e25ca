"""The fix SQL does what it says: run on a drifted database, it leaves no difference behind.

A small schema stands in for the history (read from a real database, like every
catalog); each drift below is one the fixes mend mechanically. The script, run
the way its header says, must bring the drifted copy back to the history's
catalog exactly, in the order it writes the statements.
"""

import subprocess

import psycopg
import pytest

from americano.ops.adopt import AdoptionReport, fix_script
from americano.ops.adopt.fixes import plan_findings
from americano.ops.catalog import diff_catalogs, read_catalog
from tests.dbutil import pg_program, run_psql

HISTORY = """
CREATE EXTENSION pg_trgm;
CREATE TYPE "Mood" AS ENUM ('LOW', 'MEDIUM', 'HIGH');
CREATE TYPE "Spare" AS ENUM ('A', 'B');
CREATE TABLE parents (id text NOT NULL, CONSTRAINT parents_pkey PRIMARY KEY (id));
CREATE TABLE items (
    id text NOT NULL,
    label text NOT NULL,
    note text,
    size integer DEFAULT 0,
    mood "Mood",
    parent_id text,
    CONSTRAINT items_pkey PRIMARY KEY (id),
    CONSTRAINT items_size_check CHECK (size >= 0)
);
CREATE UNIQUE INDEX items_label_key ON items (label);
CREATE INDEX items_note_idx ON items (note) WHERE note IS NOT NULL;
ALTER TABLE items ADD CONSTRAINT items_parent_id_fkey FOREIGN KEY (parent_id)
    REFERENCES parents (id) ON DELETE SET NULL ON UPDATE CASCADE;
CREATE TABLE keyed (a integer NOT NULL, CONSTRAINT keyed_pkey PRIMARY KEY (a));
CREATE TABLE loose (a integer NOT NULL, CONSTRAINT loose_pkey PRIMARY KEY (a));
INSERT INTO parents VALUES ('p');
INSERT INTO items VALUES ('1', 'one', 'n', 3, 'HIGH', 'p'), ('2', 'two', NULL, 4, NULL, NULL);
"""
# Each statement one drift the fixes mend (the rows above satisfy every fix).
DRIFTS = (
    "DROP EXTENSION pg_trgm",  # extension missing
    'DROP TYPE "Spare"',  # enum type missing
    'ALTER TYPE "Mood" RENAME TO "Mood_old"',  # the first label missing ...
    """CREATE TYPE "Mood" AS ENUM ('MEDIUM', 'HIGH')""",
    'ALTER TABLE items ALTER COLUMN mood TYPE "Mood" USING mood::text::"Mood"',
    'DROP TYPE "Mood_old"',
    """CREATE TYPE "Stray" AS ENUM ('X')""",  # enum type extra
    "UPDATE items SET note = '' WHERE note IS NULL",
    "ALTER TABLE items ALTER COLUMN note SET NOT NULL",  # NOT NULL the history has not
    "ALTER TABLE items ALTER COLUMN size DROP DEFAULT",  # default missing
    "ALTER INDEX items_note_idx RENAME TO items_note_index",  # index named otherwise
    "DROP INDEX items_label_key",  # unique index replaced by a plain one ...
    "CREATE INDEX items_label_key ON items (label)",
    "CREATE INDEX items_size_idx ON items (size)",  # index extra
    "ALTER TABLE items DROP CONSTRAINT items_parent_id_fkey",  # foreign key missing
    "ALTER TABLE items ADD CONSTRAINT items_extra_check CHECK (size < 100)",  # check extra
    "ALTER TABLE items DROP CONSTRAINT items_size_check,"  # check changed
    " ADD CONSTRAINT items_size_check CHECK (size >= 1)",
    "ALTER TABLE keyed RENAME CONSTRAINT keyed_pkey TO keyed_key",  # primary key renamed
    "ALTER TABLE loose DROP CONSTRAINT loose_pkey",  # primary key missing
)


def _catalog(url, env):
    with psycopg.connect(url, password=env.get("PGPASSWORD")) as db, db.cursor() as cursor:
        return read_catalog(cursor)


@pytest.mark.slow
def test_the_fix_script_brings_a_drifted_database_back_to_the_history(scratch_database, tmp_path):
    _, url, env = scratch_database
    run_psql(url, env, HISTORY)
    history = _catalog(url, env)
    run_psql(url, env, *DRIFTS)
    drifted = _catalog(url, env)
    findings = plan_findings(history, drifted, diff_catalogs(history, drifted))
    assert len(findings) == 14  # one per drift
    assert [f.difference.line for f in findings if not f.mechanical] == []
    report = AdoptionReport("scratch", 18, "here", (), [], findings, apply=False)
    script = tmp_path / "fix.sql"
    script.write_text(fix_script(report))

    psql = [pg_program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(script), url]
    ran = subprocess.run(psql, env=env, capture_output=True, text=True)

    assert ran.returncode == 0, ran.stderr
    assert diff_catalogs(history, _catalog(url, env)) == []
