"""``makebackfill`` under hostile input: only the project's own apps, valid Python whatever
the description says, the printed and the written file alike.

Files are written into a scratch migrations package of the recipes app (``MIGRATION_MODULES``),
inside the project and removed afterwards, so that other test runs never load them.
"""

import importlib
import json
import shutil
import sys
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tests.backfill_support import (
    APP,
)
from tests.commandline import ROOT

#: Descriptions that broke the file (quotes, backslashes) or could break it or a terminal.
HOSTILE = [
    'Fill """ the scores',
    'ends with a quote"',
    "ends with a backslash \\",
    "escapes \\N{BULLET} \\x00 \\n stay text",
    "it's 'single' and \"double\"",
    "line one\nline two\r\nthree",
    "tab\tform\x0cfeed vertical\x0b",
    "nul \x00 byte",
    "escape \x1b[31mred\x1b[0m and bell \x07",
    '"""; import os; os.system("echo owned") #',
    "{name} {{braces}} %s %(x)s",
    "unicode é ☕ \U0001d518 and a surrogate \udcff",
    "separators \u2028 and \u2029",
]


@pytest.fixture
def scratch_migrations():
    """An empty migrations package of the recipes app, inside the project."""
    folder = Path(tempfile.mkdtemp(prefix="scratch_migrations_", dir=ROOT / "tests"))
    (folder / "__init__.py").write_text("")
    module = f"tests.{folder.name}"
    try:
        with override_settings(MIGRATION_MODULES={APP: module}):
            yield folder
    finally:
        shutil.rmtree(folder)
        sys.modules.pop(module, None)


def makebackfill(*args: str, **options) -> str:
    out = StringIO()
    call_command("makebackfill", *args, stdout=out, **options)
    return out.getvalue()


def refusal(*args: str, **options) -> str:
    with pytest.raises(CommandError) as raised:
        makebackfill(*args, **options)
    assert raised.value.returncode == 2, raised.value
    assert "\n" not in str(raised.value)
    return str(raised.value)


@pytest.mark.parametrize("description", HOSTILE)
def test_any_description_gives_a_file_that_compiles_and_says_it(scratch_migrations, description):
    printed = json.loads(makebackfill(APP, description, dry_run=True, format="json"))
    text, path = printed["text"], Path(printed["path"])
    code = compile(text, str(path), "exec")  # a SyntaxError here is the defect
    namespace = {}
    exec(code, namespace)
    said = description.strip()
    said = said[:1].upper() + said[1:].rstrip(". ")
    assert namespace["__doc__"].startswith(f"{said}: a batched backfill.\n")
    assert namespace["Migration"].atomic is False
    assert not any(char in text for char in "\x00\x07\x0b\x0c\x1b\r\u2028")

    shown = makebackfill(APP, description, dry_run=True)
    assert shown == f"# {path}\n{text.rstrip()}\n"
    assert not path.exists()  # --dry-run writes nothing

    written = json.loads(makebackfill(APP, description, format="json"))
    assert written["written"] is True and written["path"] == str(path)
    assert path.read_text(encoding="utf-8") == text  # the file is what --dry-run printed
    compile(path.read_bytes(), str(path), "exec")
    assert "already exists" in refusal(APP, description)
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("app", ["auth", "contenttypes", "admin", "sessions"])
def test_makebackfill_refuses_apps_that_are_not_the_projects_own(app):
    folder = Path(importlib.import_module(f"django.contrib.{app}.migrations").__file__).parent
    files = sorted(folder.iterdir())
    for options in ({}, {"dry_run": True}):
        message = refusal(app, "fill something", **options)
        assert f"app {app} is not one of the project's own" in message
        assert str(folder.resolve()) in message
    assert sorted(folder.iterdir()) == files
    # An installed app without migrations is refused too.
    assert "no migrations package" in refusal("django_extensions", "fill")


def test_makebackfill_refuses_migrations_outside_the_project(tmp_path, monkeypatch):
    package = tmp_path / "outside_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        with override_settings(MIGRATION_MODULES={APP: "outside_migrations"}):
            assert "not one of the project's own" in refusal(APP, "fill")
    finally:
        sys.modules.pop("outside_migrations", None)
    assert [p.name for p in package.iterdir()] == ["__init__.py"]


def test_makebackfill_refuses_an_empty_model_given_explicitly(scratch_migrations):
    assert "--model is empty" in refusal(APP, "fill", model="")
    assert "'nope' has no migrations package" in refusal("nope", "fill")
    assert [p.name for p in scratch_migrations.iterdir()] == ["__init__.py"]
