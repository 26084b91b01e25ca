"""The inspection queries: as a library, as ``manage.py dbinspect`` and as the Tables page."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from americano.ops.inspect import Index, find_duplicates, find_redundant, inspect_database
from tests.commandline import manage
from tests.dbutil import sql

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """``admin_client`` makes a superuser: hash its password in microseconds, not a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def index(name, columns, *, unique=False, table="t", method="btree", opclasses=None):
    return Index(
        schema="public",
        table=table,
        name=name,
        bytes=8192,
        scans=0,
        unique=unique,
        primary=False,
        valid=True,
        method=method,
        columns=columns,
        definition="",
        backs_constraint=False,
        opclasses=opclasses or " ".join("3126" for _ in columns),
        predicate="",
    )


def test_duplicates_keep_the_index_that_enforces_uniqueness():
    indexes = [index("t_a_idx", ["a"]), index("t_a_key", ["a"], unique=True)]
    [duplicate] = find_duplicates(indexes)
    assert (duplicate.keep, duplicate.drop) == ("t_a_key", ["t_a_idx"])


def test_redundant_means_a_leading_prefix_of_the_same_kind():
    indexes = [
        index("t_a_idx", ["a"]),
        index("t_a_b_idx", ["a", "b"]),
        index("t_b_idx", ["b"]),  # not leading
        index("t_a_c_key", ["a", "c"], unique=True, opclasses="9999 3126"),  # other opclass
        index("u_a_idx", ["a"], table="u"),  # other table
    ]
    assert [(r.index, r.covered_by) for r in find_redundant(indexes, [])] == [
        ("t_a_idx", "t_a_b_idx")
    ]


def test_report_of_the_schema():
    report = inspect_database(connection, seq_scan_min_rows=0)
    tables = {t.name: t for t in report.tables}
    assert tables["users"].model == "learning.User"
    assert tables["django_migrations"].model is None
    assert report.extensions["vector"]
    assert {i.name for i in report.indexes} >= {"users_pkey", "content_chunks_embedding_idx"}
    # What the Prisma schema carries: a plain index beside the unique one...
    assert any(d.drop == ["streaks_userId_idx"] for d in report.duplicate_indexes)
    # ...single-column indexes led by a composite one...
    assert ("validation_responses_userId_idx", "validation_responses_userId_respondedAt_idx") in {
        (r.index, r.covered_by) for r in report.redundant_indexes
    }
    # ...and foreign keys no index leads with.
    assert ("reviews", ("sessionId",)) in {
        (f.table, tuple(f.columns)) for f in report.unindexed_foreign_keys
    }
    assert all(not i.unique and not i.primary for i in report.unused_indexes)
    assert all(s.seq_scans > s.index_scans for s in report.seq_scan_heavy)


def test_command_json_has_every_section(capsys):
    call_command("dbinspect", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "name",
        "size_bytes",
        "server_version",
        "stats_reset",
        "extensions",
        "tables",
        "indexes",
        "unused_indexes",
        "duplicate_indexes",
        "redundant_indexes",
        "unindexed_foreign_keys",
        "seq_scan_heavy",
    }
    users = next(t for t in data["tables"] if t["name"] == "users")
    assert users["model"] == "learning.User" and users["total_bytes"] > 0
    assert "opclasses" not in data["indexes"][0]


def test_command_text_is_readable(capsys):
    call_command("dbinspect", "--limit", "3")
    out = capsys.readouterr().out
    assert out.startswith("Database ")
    for title in ("Tables:", "Indexes:", "Unused indexes", "Duplicate indexes", "Redundant"):
        assert title in out
    assert "Foreign keys without an index" in out
    tables = out.split("Tables:")[1].split("\n\n")[0].splitlines()
    assert len(tables) == 1 + 2 + 3  # title, header, rule, three rows


def test_command_refuses_a_negative_limit():
    with pytest.raises(CommandError, match="0 or more") as raised:
        call_command("dbinspect", "--limit", "-1")
    assert raised.value.returncode == 2


def test_tables_page(admin_client):
    page = admin_client.get("/admin/database/tables/").content.decode()
    assert "Tables, largest first" in page
    assert '<a href="/admin/learning/user/">learning.User</a>' in page
    assert "streaks_userId_idx" in page
    assert "Foreign keys without an index" in page


@pytest.mark.slow
def test_command_on_a_database_without_tables(scratch_database):
    _, url, env = scratch_database
    result = manage("dbinspect", env=env, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for title in ("Tables", "Indexes", "Unused indexes", "Duplicate indexes", "Redundant"):
        assert re.search(rf"^{title}[^:\n]*: none$", result.stdout, re.M), title
    document = json.loads(manage("dbinspect", "--format", "json", env=env, DATABASE_URL=url).stdout)
    assert document["tables"] == [] and document["indexes"] == []


#: Names a table owner may give: a terminal title and screen clear, and a fake line.
HOSTILE_TABLE = "evil\x1b]0;pwned\x07\x1b[2J"
HOSTILE_INDEX = "idx\nTables: none"


def test_command_text_escapes_control_characters_of_names(capsys):
    sql(f'CREATE TABLE "{HOSTILE_TABLE}" (id int)')
    sql(f'CREATE INDEX "{HOSTILE_INDEX}" ON "{HOSTILE_TABLE}" (id)')
    call_command("dbinspect", "--limit", "0")
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "evil\\x1b]0;pwned\\x07\\x1b[2J" in out
    assert "idx\\nTables: none" in out
    assert not re.search("^Tables: none", out, re.M)  # no line of the report was faked
    call_command("dbinspect", "--format", "json")
    document = json.loads(capsys.readouterr().out)  # JSON escapes them itself, names intact
    assert HOSTILE_INDEX in {i["name"] for i in document["indexes"]}
