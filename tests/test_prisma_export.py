"""``export_prisma_schema`` writes the schema.prisma of the database that ``migrate`` builds.

These tests read the exported text against the contract (the database Prisma built)
and run the command as CI would; ``test_prisma_export_node.py`` has Prisma's own
code read the file and a generated Prisma Client use it.
"""

import json
import os
import re
import textwrap
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Now
from pgvector.django import HnswIndex, VectorField

from americano.db.fields import EnumField, TimestampField
from americano.ops.prisma import export_schema
from americano.ops.prisma.fields import ScalarType, literal, scalar_line, scalar_type, sql_scalar
from americano.ops.prisma.indexes import describe_index, index_attribute
from americano.ops.prisma.naming import PrismaNameError, enum_value_name, unique_names
from americano.ops.prisma.relations import PrismaRelationError, collect_relations
from americano.ops.prisma.render import EnumBlock, enum_block
from content.models import ContentChunk
from learning.models import Mission
from tests.commandline import manage, run_python
from tests.prisma_ddl import load_contract

MODEL = re.compile(r"^model (\w+) \{\n(.*?)^\}$", re.M | re.S)
ENUM = re.compile(r"^enum (\w+) \{\n(.*?)^\}$", re.M | re.S)
#: A field line: name and type.
FIELD = re.compile(r"^  (\w+) +(\S+)", re.M)


@pytest.fixture(scope="module")
def exported():
    return export_schema(connection).text


@pytest.fixture(scope="module")
def contract():
    return load_contract()


def model_bodies(text: str) -> dict[str, str]:
    return {name: body for name, body in MODEL.findall(text)}


def table_of(name: str, body: str) -> str:
    mapped = re.search(r'^  @@map\("(\w+)"\)$', body, re.M)
    return mapped.group(1) if mapped else name


def test_two_exports_are_the_same_bytes(exported, capsys):
    assert export_schema(connection).text == exported
    call_command("export_prisma_schema")
    assert capsys.readouterr().out == exported


def test_every_table_is_a_model_named_as_in_the_contract(exported, contract):
    """The web app calls the models by the names Prisma's schema gave them (nine of them
    are the table names: those models declare ``prisma_model``)."""
    models_ = {table_of(name, body): name for name, body in model_bodies(exported).items()}
    assert models_ == {table: spec["model"] for table, spec in contract["tables"].items()}


def test_fields_are_the_columns_in_the_tables_order(exported, contract):
    """Scalar fields are named by their columns, in the table's column order, optional
    exactly where the column is nullable (lists aside: Prisma lists are nullable arrays)."""
    bodies = model_bodies(exported)
    for name, body in bodies.items():
        spec = contract["tables"][table_of(name, body)]
        scalars = [(f, kind) for f, kind in FIELD.findall(body) if kind.strip("?[]") not in bodies]
        assert [field for field, _ in scalars] == list(spec["columns"]), name
        for field, kind in scalars:
            column = spec["columns"][field]
            if not kind.endswith("[]"):
                assert kind.endswith("?") == column["nullable"], f"{name}.{field}"


def test_enums_have_the_contracts_labels_in_order(exported, contract):
    enums = {name: body.split() for name, body in ENUM.findall(exported)}
    assert enums == contract["enums"]


def test_what_prisma_cannot_say_is_a_comment(exported, contract):
    vectors = sorted(
        f"{table}.{column}"
        for table, spec in contract["tables"].items()
        for column, c in spec["columns"].items()
        if c["type"].startswith("vector")
    )
    hnsw = re.compile(
        r'^  // index (\w+) USING hnsw \("(\w+)" vector_cosine_ops\) is in the database;'
        r" Prisma cannot declare it$",
        re.M,
    )
    commented = sorted(
        f"{table_of(name, body)}.{column}"
        for name, body in model_bodies(exported).items()
        for index, column in hnsw.findall(body)
        if index == f"{table_of(name, body)}_{column}_idx"
    )
    assert commented == vectors
    assert exported.count('Unsupported("vector(1536)")?') == len(vectors)
    assert "extensions = [vector]" in exported
    # The NOT NULL column whose foreign key sets NULL on delete (README, "Schema rules").
    set_null = re.search(
        r"^  // ON DELETE SET NULL on a NOT NULL column.*\n  learningObjective +LearningObjective "
        r"+@relation\(fields: \[learningObjectiveId\], references: \[id\], onDelete: SetNull\)$",
        model_bodies(exported)["StrugglePrediction"],
        re.M,
    )
    assert set_null


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (models.TextField(), ScalarType("String")),
        (models.CharField(max_length=20), ScalarType("String", native="@db.VarChar(20)")),
        (models.IntegerField(), ScalarType("Int")),
        (models.BigIntegerField(), ScalarType("BigInt")),
        (models.SmallIntegerField(), ScalarType("Int", native="@db.SmallInt")),
        (models.FloatField(), ScalarType("Float")),
        (models.BooleanField(), ScalarType("Boolean")),
        (models.JSONField(), ScalarType("Json")),
        (TimestampField(), ScalarType("DateTime")),
        (models.DateTimeField(), ScalarType("DateTime", native="@db.Timestamptz")),
        (models.DateField(), ScalarType("DateTime", native="@db.Date")),
        (models.UUIDField(), ScalarType("String", native="@db.Uuid")),
        (models.BinaryField(), ScalarType("Bytes")),
        (
            models.DecimalField(max_digits=10, decimal_places=2),
            ScalarType("Decimal", native="@db.Decimal(10, 2)"),
        ),
        (ArrayField(models.TextField()), ScalarType("String", is_list=True)),
        (EnumField(enum_type="MissionStatus"), ScalarType("MissionStatus", is_enum=True)),
        (VectorField(dimensions=3), ScalarType('Unsupported("vector(3)")', unsupported=True)),
        (models.TimeField(), ScalarType("DateTime", native="@db.Time")),
        (models.GenericIPAddressField(), ScalarType("String", native="@db.Inet")),
        (models.DurationField(), ScalarType('Unsupported("interval")', unsupported=True)),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, models.Field) else "",
)
def test_column_types_become_prisma_types(field, expected):
    """Prisma's default native type for a scalar gets no attribute; others get theirs, and
    a type Prisma has no scalar for is Unsupported."""
    assert scalar_type(field, connection) == expected


@pytest.mark.parametrize(
    ("sql_type", "native"),
    [
        ("timestamp(3) without time zone", None),
        ("timestamp(6) without time zone", "@db.Timestamp(6)"),
        ("timestamp without time zone", "@db.Timestamp"),
        ("timestamp(3) with time zone", "@db.Timestamptz(3)"),
    ],
)
def test_timestamps_say_their_precision_unless_it_is_prismas(sql_type, native):
    assert sql_scalar(sql_type) == ScalarType("DateTime", native=native)


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (0, ScalarType("Float"), "0"),
        (0.0, ScalarType("Float"), "0.0"),
        (True, ScalarType("Boolean"), "true"),
        ('say "hi"', ScalarType("String"), '"say \\"hi\\""'),
        ({}, ScalarType("Json"), '"{}"'),
        ("PENDING", ScalarType("MissionStatus", is_enum=True), "PENDING"),
        (["a", "b"], ScalarType("String", is_list=True), '["a", "b"]'),
        (Decimal("1.50"), ScalarType("Decimal"), "1.50"),
        ("2024-01-01", ScalarType("DateTime"), None),
    ],
)
def test_constant_defaults_become_prisma_literals(value, kind, expected):
    """Numbers keep the literal the database has (``0`` and ``0.0`` both occur)."""
    assert literal(value, kind) == expected


def test_a_column_that_is_no_prisma_name_is_mapped():
    field = models.IntegerField(db_column="2nd try", null=True)
    field.set_attributes_from_name("second_try")
    line = scalar_line(field, connection)
    assert (line.name, line.type, line.attributes) == ("secondTry", "Int?", ('@map("2nd try")',))
    assert enum_value_name("in-progress") == ("inProgress", "in-progress")
    assert enum_value_name("2-step") == ("f2Step", "2-step")
    assert enum_block(EnumBlock("Step", [("TODO", None), ("inProgress", "in-progress")])) == [
        "enum Step {",
        "  TODO",
        '  inProgress @map("in-progress")',
        "}",
    ]


def test_what_a_column_has_and_prisma_cannot_say_is_a_comment_above_it():
    tags = ArrayField(models.TextField())
    tags.set_attributes_from_name("tags")
    seen = TimestampField(db_default=Now())
    seen.set_attributes_from_name("seen")
    assert scalar_line(tags, connection).comments == (
        "NOT NULL in the database: a Prisma list cannot say so",
    )
    line = scalar_line(seen, connection)
    assert (line.type, line.attributes) == ("DateTime", ())
    assert line.comments == ("the database default Now() cannot be written in Prisma",)


def test_index_names_are_written_only_where_they_are_not_prismas():
    columns = [("userId", "userId", False), ("date", "date", True)]
    prisma_default = "missions_userId_date_idx"
    assert index_attribute("@@index", "missions", columns, prisma_default) == (
        "@@index([userId, date(sort: Desc)])"
    )
    assert index_attribute("@@unique", "missions", columns[:1], "by_user") == (
        '@@unique([userId], map: "by_user")'
    )


def test_indexes_prisma_cannot_declare_are_described_as_sql():
    partial = models.Index(fields=["-date"], condition=Q(status="PENDING"), name="pending")
    assert describe_index(Mission, partial) == (
        """USING btree ("date" DESC) WHERE <Q: (AND: ('status', 'PENDING'))>"""
    )
    hnsw = HnswIndex(fields=["embedding"], name="e", opclasses=["vector_cosine_ops"])
    assert describe_index(ContentChunk, hnsw) == 'USING hnsw ("embedding" vector_cosine_ops)'


def test_relations_prisma_cannot_hold_are_refused():
    with pytest.raises(PrismaRelationError, match=r"refers to learning\.User, which is not in"):
        collect_relations([Mission])
    log_entry, user = apps.get_model("admin.LogEntry"), apps.get_model("auth.User")
    content_type = apps.get_model("contenttypes.ContentType")
    with pytest.raises(PrismaRelationError, match="is a stock Django relation"):
        collect_relations([log_entry, user, content_type])


def test_two_fields_of_one_prisma_name_are_refused():
    with pytest.raises(PrismaNameError, match="two Prisma fields would be named 'user'"):
        unique_names(Mission, ["id", "user", "user"])


def test_output_writes_once_then_check_passes(tmp_path, capsys, exported):
    target = tmp_path / "schema.prisma"
    call_command("export_prisma_schema", "--output", str(target))
    assert target.read_text() == exported
    assert capsys.readouterr().out.startswith(f"wrote {target}: 87 models")
    os.utime(target, (0, 0))
    call_command("export_prisma_schema", "--output", str(target))
    assert target.stat().st_mtime == 0, "an unchanged file is not rewritten"
    call_command("export_prisma_schema", "--check", str(target))
    assert "up to date (87 models, 63 enums)" in capsys.readouterr().out


def test_check_of_a_stale_file_fails_with_the_diff(tmp_path, capsys, exported):
    target = tmp_path / "schema.prisma"
    target.write_text(exported.replace('@@map("users")', '@@map("user")'))
    with pytest.raises(CommandError, match="differs from the models") as raised:
        call_command("export_prisma_schema", "--check", str(target))
    assert raised.value.returncode == 1
    diff = capsys.readouterr().out
    assert f"--- {target}\n+++ {target} (exported from the models)\n" in diff
    assert '\n-  @@map("user")\n+  @@map("users")\n' in diff


def test_check_of_a_missing_file_fails(tmp_path, capsys):
    with pytest.raises(CommandError, match="is missing: run python manage") as raised:
        call_command("export_prisma_schema", "--check", str(tmp_path / "none.prisma"))
    assert raised.value.returncode == 1
    assert capsys.readouterr().out.startswith("--- /dev/null\n")


def test_json_keys(tmp_path, capsys, exported):
    keys = {"ok", "mode", "path", "models", "enums", "changed", "missing", "diff", "schema"}
    call_command("export_prisma_schema", "--format", "json")
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == keys
    assert (printed["mode"], printed["schema"], printed["models"]) == ("print", exported, 87)
    with pytest.raises(CommandError):
        call_command("export_prisma_schema", "--check", str(tmp_path / "x"), "--format", "json")
    checked = json.loads(capsys.readouterr().out)
    assert set(checked) == keys
    assert (checked["ok"], checked["changed"], checked["missing"]) == (False, True, True)


CHANGE_A_MODEL = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from django.core.management import ManagementUtility
    from django.db import models
    from learning.models import Mission

    models.TextField(db_column="reviewNote", null=True).contribute_to_class(Mission, "review_note")
    ManagementUtility(["manage.py", "export_prisma_schema", "--check", sys.argv[1]]).execute()
    """
)


@pytest.mark.slow  # two manage.py child processes
def test_a_model_change_without_a_re_export_fails_the_check(tmp_path):
    target = tmp_path / "schema.prisma"
    assert manage("export_prisma_schema", "--output", str(target)).returncode == 0
    assert manage("export_prisma_schema", "--check", str(target)).returncode == 0
    result = run_python(CHANGE_A_MODEL, str(target))
    assert result.returncode == 1, result.stderr
    assert re.search(r"^\+  reviewNote +String\?$", result.stdout, re.M), result.stdout
    assert result.stderr.strip().endswith(
        f"differs from the models: run python manage.py export_prisma_schema --output {target}"
    )
