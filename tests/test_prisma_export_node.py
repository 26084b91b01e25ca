"""Prisma's own code reads the exported schema.prisma and uses it on a migrated database.

Prisma's parser (``@prisma/prisma-schema-wasm``) validates the file, and its DMMF
(the model Prisma Client is generated from) must say what the Django models say,
model by model and field by field. Then ``prisma generate`` makes a Prisma Client 7
from the file, and ``tests/prisma_client/roundtrip.mjs`` creates, reads, updates and
deletes a row of every model through it, with ``@prisma/adapter-pg``, on a database
that ``manage.py migrate`` built. The npm packages are installed on first use
(``tests/prisma_client``).
"""

import json
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from pgvector.django import VectorField

from americano.db.enums import declared_enum_types
from americano.db.fields import EnumField, new_cuid
from americano.db.functions import CurrentTimestamp
from americano.db.names import prisma_name
from americano.ops.prisma import export_schema
from tests import prisma_client
from tests.dbutil import sql
from tests.prisma_ddl import load_contract

pytestmark = pytest.mark.slow  # Node programs in child processes

#: The Prisma scalar of each Django field class the schema apps use.
TYPES = {
    "TextField": "String",
    "IntegerField": "Int",
    "FloatField": "Float",
    "BooleanField": "Boolean",
    "JSONField": "Json",
    "TimestampField": "DateTime",
}
#: Prisma's names of the SQL referential actions.
ACTIONS = {"CASCADE": "Cascade", "SET NULL": "SetNull", "RESTRICT": "Restrict"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The exported file: ``(path, text)``."""
    path = tmp_path_factory.mktemp("prisma") / "schema.prisma"
    path.write_text(export_schema(connection).text)
    return path, path.read_text()


@pytest.fixture(scope="module")
def prisma(exported):
    """Prisma's reading of the exported file."""
    return prisma_client.read_schema(exported[0])


def schema_models() -> list[type[models.Model]]:
    return [
        m
        for label in settings.AMERICANO_SCHEMA_APPS
        for m in apps.get_app_config(label).get_models()
    ]


def camel(name: str) -> str:
    return re.sub(r"_(\w)", lambda match: match.group(1).upper(), name)


def prisma_model_name(model) -> str:
    return model.prisma_model or model.__name__


def expected_default(field: models.Field):
    """The DMMF ``default`` of ``field``'s column, or None when it has none."""
    if field.primary_key:
        assert field.default is new_cuid
        return {"name": "cuid", "args": [1]}
    if field.db_default is models.NOT_PROVIDED:
        return None
    if isinstance(field.db_default, CurrentTimestamp):
        return {"name": "now", "args": []}
    value = getattr(field.db_default, "value", field.db_default)
    return json.dumps(value) if isinstance(field, models.JSONField) else value


def expected_scalar(field: models.Field) -> dict:
    """What the DMMF must say of the column of ``field`` (a foreign key's too)."""
    if isinstance(field, EnumField):
        kind, type_name, is_list = "enum", field.enum_type, False
    elif isinstance(field, ArrayField):
        kind, type_name, is_list = "scalar", TYPES[type(field.base_field).__name__], True
    else:
        target = field.target_field if field.is_relation else field
        kind, type_name, is_list = "scalar", TYPES[type(target).__name__], False
    default = expected_default(field)
    expected = {
        "name": field.column,
        "kind": kind,
        "type": type_name,
        "isList": is_list,
        "isRequired": is_list or not field.null,  # Prisma lists are never optional
        "isId": field.primary_key,
        "isUnique": field.unique and not field.primary_key,
        "isReadOnly": field.is_relation,
        "isUpdatedAt": bool(getattr(field, "auto_now", False)),
        "hasDefaultValue": default is not None,
    }
    if default is not None:
        # Prisma reads 0.7 into its DMMF as 0.7000000000000001.
        expected["default"] = pytest.approx(default) if isinstance(default, float) else default
    return expected


def relation_fields(model) -> dict[str, dict]:
    """What the DMMF must say of the relation fields of ``model``, both sides, by name."""
    expected = {}
    for field in model._meta.concrete_fields:
        if field.is_relation:
            expected[camel(field.name)] = {
                "type": prisma_model_name(field.related_model),
                "isList": False,
                "isRequired": not field.null,
                "relationFromFields": [field.column],
                "relationToFields": [field.target_field.column],
                "relationOnDelete": ACTIONS[field.db_on_delete],
                "relationOnUpdate": ACTIONS[field.db_on_update],
            }
    for relation in model._meta.related_objects:
        expected[camel(relation.get_accessor_name())] = {
            "type": prisma_model_name(relation.related_model),
            "isList": not relation.field.unique,
            "isRequired": not relation.field.unique,
            "relationFromFields": [],
            "relationToFields": [],
        }
    return expected


def test_prisma_accepts_the_file_as_formatted(prisma, exported):
    """Valid to Prisma's parser; ``prisma format`` changes nothing; the one warning is the
    NOT NULL column whose foreign key sets NULL, which the database has (README)."""
    assert prisma["valid"], prisma["error"]
    assert prisma["formatted"] == exported[1]
    assert len(prisma["warnings"]) == 1
    assert (
        "`onDelete` referential action of a relation should not be set to `SetNull`"
        in (prisma["warnings"][0])
    )


def test_the_dmmf_is_the_models_field_by_field(prisma):
    dmmf = {model["name"]: model for model in prisma["dmmf"]["models"]}
    assert len(dmmf) == len(schema_models()) == 87
    for model in schema_models():
        found = dmmf[prisma_model_name(model)]
        assert (found["dbName"] or found["name"]) == model._meta.db_table
        fields = {field["name"]: field for field in found["fields"]}
        for field in model._meta.concrete_fields:
            if isinstance(field, VectorField):  # Unsupported: not in the DMMF
                assert field.column not in fields
                continue
            expected = expected_scalar(field)
            assert {key: fields[field.column].get(key) for key in expected} == expected, (
                f"{model._meta.label}.{field.name}"
            )
        relations = relation_fields(model)
        objects = {name: field for name, field in fields.items() if field["kind"] == "object"}
        assert set(objects) == set(relations), model._meta.label
        for name, expected in relations.items():
            found_field = {**objects[name]}
            found_field.setdefault("relationOnUpdate", "Cascade")  # Prisma's default
            assert {key: found_field.get(key) for key in expected} == expected, f"{model}.{name}"
        # Both sides of a relation carry one relation name.
        for name, field in objects.items():
            other = dmmf[field["type"]]
            sides = [f for f in other["fields"] if f.get("relationName") == field["relationName"]]
            assert len(sides) == (2 if other is found else 1), f"{model}.{name}"


def test_the_dmmf_enums_are_the_declared_types_with_labels_in_order(prisma):
    found = {e["name"]: [v["name"] for v in e["values"]] for e in prisma["dmmf"]["enums"]}
    declared = {
        name: labels
        for name, (app, labels) in declared_enum_types().items()
        if app in settings.AMERICANO_SCHEMA_APPS
    }
    assert found == declared == load_contract()["enums"]


#: Each index of the given tables: table, name, columns (`` DESC`` marked), unique.
INDEXES = """
SELECT c.relname, i.relname,
       array(SELECT a.attname || CASE WHEN x.indoption[k.ord - 1] & 1 = 1 THEN ' DESC' ELSE '' END
             FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
             ORDER BY k.ord),
       x.indisunique
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
WHERE c.relname = ANY(%s) AND NOT x.indisprimary
"""


@pytest.mark.django_db
def test_the_dmmf_indexes_are_the_databases(prisma, exported):
    """Every index and unique index Prisma knows (named as Prisma names it where the file
    writes no name), and the HNSW indexes the file has as comments, is an index of the
    database ``migrate`` built, with its columns, order and uniqueness; there is no other."""
    models_ = {model["name"]: model for model in prisma["dmmf"]["models"]}
    from_prisma = set()
    for entry in prisma["dmmf"]["indexes"]:
        if entry["type"] == "id":
            continue
        model = models_[entry["model"]]
        table = model["dbName"] or model["name"]
        column = {f["name"]: f.get("dbName") or f["name"] for f in model["fields"]}
        columns = [column[f["name"]] for f in entry["fields"]]
        unique = entry["type"] == "unique"
        name = entry.get("dbName") or prisma_name(table, columns, "key" if unique else "idx")
        marked = [
            c + (" DESC" if f.get("sortOrder") == "desc" else "")
            for c, f in zip(columns, entry["fields"], strict=True)
        ]
        from_prisma.add((table, name, tuple(marked), unique))
    hnsw = re.findall(r'^  // index ((\w+)_(\w+)_idx) USING hnsw \("\3"', exported[1], re.M)
    from_prisma |= {(table, name, (column,), False) for name, table, column in hnsw}
    tables = [model._meta.db_table for model in schema_models()]
    in_database = {(t, n, tuple(c), u) for t, n, c, u in sql(INDEXES, [tables])}
    assert from_prisma == in_database


def test_a_generated_prisma_client_writes_and_reads_every_model(exported, clone, tmp_path):
    """On a database that ``manage.py migrate`` built: a row of every model created with
    every column and relation set, read back with every relation, updated, deleted."""
    _, url, env = clone
    client = prisma_client.generate_client(exported[1], tmp_path)
    result = prisma_client.roundtrip(exported[0], client, url, env)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout)
    names = sorted(spec["model"] for spec in load_contract()["tables"].values())
    for step in ("created", "read", "deleted"):
        assert sorted(report[step]) == names, step
    assert sorted(entry.split(".")[0] for entry in report["updated"]) == names
