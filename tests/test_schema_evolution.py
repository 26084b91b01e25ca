"""Future migrations keep the Prisma schema's fidelity."""

import pytest
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.utils import DatabaseError

from americano.db.autodetector import enum_changes
from americano.db.enums import declared_enum_types
from americano.db.fields import EnumField, ForeignKey
from americano.db.history import history
from americano.db.operations import (
    AddEnumValue,
    CreateEnumType,
    DropEnumType,
    RemoveEnumValue,
    replay_enum_types,
)
from learning.models import Card, Course
from tests.dbutil import sql

pytestmark = pytest.mark.django_db


def test_the_history_builds_every_declared_enum_type():
    built = replay_enum_types(history(MigrationLoader(connection).graph))
    assert built == declared_enum_types()
    assert len(built) == 63


def test_a_new_label_becomes_an_operation_that_adds_it_in_place():
    before = {"MissionStatus": ("learning", ["PENDING", "COMPLETED"])}
    after = {"MissionStatus": ("learning", ["DRAFT", "PENDING", "PAUSED", "COMPLETED"])}
    operations = [op for _, op in enum_changes(before, after)]
    assert [(type(op), op.value, op.after, op.before) for op in operations] == [
        (AddEnumValue, "DRAFT", None, "PENDING"),
        (AddEnumValue, "PAUSED", "PENDING", None),
    ]
    assert replay_enum_types([("learning", _migration(operations))], before) == after


def test_removed_labels_and_types_become_operations():
    before = {"A": ("learning", ["X", "Y"]), "B": ("content", ["Z"])}
    after = {"A": ("learning", ["X"]), "C": ("behavior", ["W"])}
    changes = enum_changes(before, after)
    kinds = {(app, type(op).__name__, op.name) for app, op in changes}
    assert kinds == {
        ("learning", "RemoveEnumValue", "A"),
        ("behavior", "CreateEnumType", "C"),
        ("content", "DropEnumType", "B"),
    }


def _migration(operations):
    class Migration:
        pass

    migration = Migration()
    migration.operations = operations
    return migration


def _run(operation, backwards=False):
    with transaction.atomic(), connection.schema_editor() as editor:
        method = operation.database_backwards if backwards else operation.database_forwards
        method("tests", editor, None, None)


@pytest.fixture
def mood_type():
    """A scratch enum type and table, committed like a real migration's, then dropped."""
    _run(CreateEnumType("Mood", ["LOW", "HIGH"]))
    sql("""CREATE TABLE mood_log (id int, mood "Mood" NOT NULL DEFAULT 'LOW')""")
    yield
    sql("DROP TABLE IF EXISTS mood_log")
    sql('DROP TYPE IF EXISTS "Mood"')


@pytest.mark.django_db(transaction=True)
def test_a_label_cannot_be_used_in_the_transaction_that_adds_it(mood_type):
    with pytest.raises(DatabaseError, match="unsafe use of new value"), transaction.atomic():
        _run(AddEnumValue("Mood", "MEDIUM", after="LOW"))
        sql("INSERT INTO mood_log VALUES (1, 'MEDIUM')")
    assert _labels("Mood") == ["LOW", "HIGH"]


@pytest.mark.django_db(transaction=True)
def test_enum_operations_change_the_database_and_reverse(mood_type):
    add = AddEnumValue("Mood", "MEDIUM", after="LOW")
    _run(add)
    assert _labels("Mood") == ["LOW", "MEDIUM", "HIGH"]
    sql("INSERT INTO mood_log VALUES (1, 'MEDIUM')")
    # Removing a label that a row holds fails and changes nothing.
    with pytest.raises(DatabaseError):
        _run(add, backwards=True)
    assert _labels("Mood") == ["LOW", "MEDIUM", "HIGH"]
    sql("DELETE FROM mood_log")
    _run(RemoveEnumValue("Mood", "MEDIUM", after="LOW"))
    assert _labels("Mood") == ["LOW", "HIGH"]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO mood_log (id) VALUES (2) RETURNING mood::text")
        assert cursor.fetchone() == ("LOW",)  # the default survived the rebuild
    sql("DROP TABLE mood_log")
    _run(DropEnumType("Mood", ["LOW", "HIGH"]))
    assert _labels("Mood") == []


def _labels(type_name):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
            "WHERE t.typname = %s ORDER BY enumsortorder",
            [type_name],
        )
        return [label for (label,) in cursor.fetchall()]


def _collected_sql(model, field, name):
    field.set_attributes_from_name(name)
    with connection.schema_editor(collect_sql=True) as editor:
        editor.add_field(model, field)
    return "\n".join(editor.collected_sql)


def test_a_new_foreign_key_gets_prisma_name_and_actions():
    field = ForeignKey(Course, models.SET_NULL, null=True, db_column="archiveCourseId")
    ddl = _collected_sql(Card, field, "archive_course")
    assert (
        'ADD CONSTRAINT "cards_archiveCourseId_fkey" FOREIGN KEY ("archiveCourseId") '
        'REFERENCES "courses" ("id") ON DELETE SET NULL ON UPDATE CASCADE'
    ) in ddl
    assert "DEFERRABLE" not in ddl
    assert "CREATE INDEX" not in ddl  # Prisma indexes only what @@index says


def test_a_new_unique_text_field_is_a_unique_index_without_like_twin():
    ddl = _collected_sql(Card, models.TextField(unique=True, null=True, db_column="slug"), "slug")
    assert 'CREATE UNIQUE INDEX "cards_slug_key" ON "cards" ("slug")' in ddl
    assert "_like" not in ddl
    assert "UNIQUE" not in ddl.split("CREATE UNIQUE INDEX")[0]


def test_a_new_enum_field_uses_the_enum_type():
    from learning.enums import CardType

    ddl = _collected_sql(Card, EnumField(CardType, null=True, db_column="altType"), "alt_type")
    assert 'ADD COLUMN "altType" "CardType" NULL' in ddl
