"""The backfill operations and commands: declaration, discovery, `backfill`, `makebackfill`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q

from americano.db.backfill import (
    BackfillError,
    FinishBackfill,
    GuardConversion,
    RunBackfill,
    find_backfills,
)
from americano.management.errors import exit_code
from tests.backfill_support import (  # noqa: F401  (recipes: a fixture)
    APP,
    LEAF,
    migrate_recipes,
    recipes,
    status_json,
)

pytestmark = pytest.mark.django_db(transaction=True)


# The operations ---------------------------------------------------------------------------


def test_the_operation_deconstructs_describes_and_needs_pending():
    operation = RunBackfill(
        name="app.fill",
        model_name="recipeevent",
        pending=Q(day_of_week__isnull=True),
        update={"day_of_week": 1},
        reverse=RunBackfill.noop,
        batch_size=500,
    )
    name, args, kwargs = operation.deconstruct()
    assert (name, args) == ("RunBackfill", [])
    assert kwargs == {
        "name": "app.fill",
        "model_name": "recipeevent",
        "update": {"day_of_week": 1},
        "pending": Q(day_of_week__isnull=True),
        "reverse": RunBackfill.noop,
        "batch_size": 500,
    }
    assert RunBackfill(**kwargs).deconstruct() == (name, args, kwargs)
    assert operation.reversible and operation.migration_name_fragment == "backfill_app_fill"
    assert operation.describe() == "Run batched backfill app.fill of recipeevent"
    assert not RunBackfill(name="x", model_name="m", pending="true", update="a = 1").reversible
    with pytest.raises(ValueError, match="pending is required"):
        RunBackfill(name="x", model_name="m", update={"a": 1})


def test_the_guard_and_finish_operations_deconstruct():
    guard = GuardConversion("m", "f", "true", on_invalid="null", batch_size=5)
    assert guard.deconstruct() == (
        "GuardConversion",
        ["m", "f", "true"],
        {"on_invalid": "null", "batch_size": 5},
    )
    assert FinishBackfill("x").deconstruct() == ("FinishBackfill", ["x"], {})
    with pytest.raises(ValueError, match="on_invalid"):
        GuardConversion("m", "f", "true", on_invalid="drop")


def test_a_backfill_in_an_atomic_migration_is_refused():
    state = MigrationLoader(connection).project_state()
    operation = RunBackfill(
        name="test.atomic", model_name="recipeevent", pending="true", update={"user_id": "x"}
    )
    refused = pytest.raises(BackfillError, match="atomic = False")
    with refused as raised, connection.schema_editor(atomic=True) as editor:
        operation.database_forwards(APP, editor, state, state)
    assert exit_code(raised.value) == 2


def test_backfills_are_found_by_unique_name_in_non_atomic_migrations():
    found = find_backfills()
    assert {name: (d.app_label, d.migration) for name, d in found.items()} == {
        "recipes.day_of_week": (APP, "0002_add_day_of_week"),
        "recipes.content_kind": (APP, "0005_expand_content_kind"),
        "recipes.content_type_restore": (APP, "0006_contract_content_type"),
        "recipes.session_paused": (APP, "0009_use_session_paused"),
    }
    loader = MigrationLoader(None, ignore_no_migrations=True)
    twin = loader.disk_migrations[(APP, "0005_expand_content_kind")]
    loader.disk_migrations[("other", "0001_twin")] = twin
    with pytest.raises(BackfillError, match="used twice"):
        find_backfills(loader)
    del loader.disk_migrations[("other", "0001_twin")]
    twin.atomic = True
    try:
        with pytest.raises(BackfillError, match="must say `atomic = False`"):
            find_backfills(loader)
    finally:
        twin.atomic = False


# The commands -----------------------------------------------------------------------------

STATUS_KEYS = {
    "name", "app", "migration", "applied", "deferred", "table", "status", "rows_done",
    "rows_scanned", "batches", "last_key", "started_at", "updated_at", "finished_at",
    "errors", "last_error",
}  # fmt: skip


def command_error(*args, **options):
    with pytest.raises(CommandError) as raised:
        call_command("backfill", *args, stdout=StringIO(), **options)
    return raised.value


def test_the_backfill_command_refuses_bad_input_with_exit_code_2():
    assert "no backfill named 'nope' (known: recipes." in str(command_error("nope"))
    for args, options in [
        ((), {}),
        (("recipes.day_of_week",), {"status": True}),
        (("recipes.day_of_week",), {"batch_size": 0}),
        (("recipes.day_of_week",), {"sleep": -1.0}),
        ((), {"status": True, "max_rows": 5}),
    ]:
        error = command_error(*args, **options)
        assert error.returncode == 2, (args, options, error)
        assert "\n" not in str(error)


@pytest.mark.usefixtures("recipes")
def test_status_reports_every_backfill_with_stable_keys():
    migrate_recipes("0001")
    migrate_recipes(LEAF)  # every backfill runs again, on an empty table
    statuses = status_json()
    assert [s["name"] for s in statuses] == sorted(find_backfills())
    assert all(set(s) == STATUS_KEYS for s in statuses)
    # migrate ran each to the end (the deferred one: its FinishBackfill).
    assert {s["status"] for s in statuses} == {"finished"}
    out = StringIO()
    call_command("backfill", status=True, stdout=out)
    assert "recipes.session_paused" in out.getvalue()


def test_makebackfill_writes_a_skeleton_that_loads():
    out = StringIO()
    call_command(
        "makebackfill", APP, "Fill the scores!", model="recipeevent", dry_run=True, stdout=out
    )
    header, text = out.getvalue().split("\n", 1)
    assert header.endswith(f"{APP}/migrations/0010_backfill_fill_the_scores.py")
    namespace = {}
    exec(compile(text, "skeleton", "exec"), namespace)
    migration = namespace["Migration"]
    assert migration.atomic is False
    assert migration.dependencies == [
        ("americano", "0001_backfill_checkpoints"),
        (APP, "0009_use_session_paused"),
    ]
    (operation,) = migration.operations
    assert isinstance(operation, RunBackfill)
    assert (operation.name, operation.model_name) == (f"{APP}.fill_the_scores", "recipeevent")
    assert "difficulty_level (difficultyLevel)" in text and "TODO" in text
    for args in [("nope", "fill"), (APP, "!!!")]:
        with pytest.raises(CommandError) as raised:
            call_command("makebackfill", *args, dry_run=True, stdout=StringIO())
        assert raised.value.returncode == 2


def test_makebackfill_reports_in_json():
    out = StringIO()
    call_command("makebackfill", APP, "fill", dry_run=True, format="json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["name"] == f"{APP}.fill" and report["written"] is False
    assert report["path"].endswith(f"{APP}/migrations/0010_backfill_fill.py")
    assert 'name="backfill_recipes.fill"' in report["text"]
