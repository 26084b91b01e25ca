"""The committed ERDs are what ``manage.py erd`` makes of the models today."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import models

from americano.ops import erd
from tests.commandline import assert_one_line_error, manage

#: Lines of a Mermaid erDiagram as erd.py writes them.
ENTITY = re.compile(r"^    [A-Za-z][A-Za-z0-9]*( \{)?$")
ATTRIBUTE = re.compile(
    r"^        [A-Za-z][A-Za-z0-9_()\[\]]* [A-Za-z][A-Za-z0-9_]*( (PK|FK|UK)(, (PK|FK|UK))*)?"
    r'( "[^"]+")?$'
)
RELATION = re.compile(r'^    [A-Za-z0-9]+ (\|\||\|o)(--|\.\.)(o\{|o\|) [A-Za-z0-9]+ : "[^"]+"$')


def mermaid_lines(document):
    return re.search(r"```mermaid\nerDiagram\n(.*?)```", document, re.S).group(1).splitlines()


def test_committed_diagrams_are_up_to_date():
    directory = erd.default_directory()
    for name, text in erd.render_all().items():
        path = directory / name
        assert path.exists(), f"{path} is missing: run python manage.py erd"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run python manage.py erd"
        )


def test_every_line_is_mermaid_erdiagram_syntax():
    for name, text in erd.render_all().items():
        for line in mermaid_lines(text):
            assert (
                ENTITY.match(line)
                or ATTRIBUTE.match(line)
                or RELATION.match(line)
                or line == "    }"
            ), f"{name}: {line!r}"


def test_every_table_and_foreign_key_is_drawn():
    documents = erd.render_all()
    for label in settings.AMERICANO_SCHEMA_APPS:
        text = documents[f"{label}.md"]
        for model in apps.get_app_config(label).get_models():
            assert f"\n    {model.__name__} {{\n" in text
            for field in model._meta.concrete_fields:
                if field.is_relation:
                    arrow = f' {model.__name__} : "{field.column}"'
                    assert arrow in text, f"{model.__name__}.{field.name}"
    assert 'User ||..o{ BehavioralEvent : "userId (no FK)"' in documents["behavior.md"]
    assert 'Lecture ||--o{ ContentChunk : "lectureId"' in documents["overview.md"]


def test_models_declare_soft_references_and_prose_on_text_columns():
    for label in settings.AMERICANO_SCHEMA_APPS:
        for model in apps.get_app_config(label).get_models():
            for name, target in model.soft_references.items():
                field = model._meta.get_field(name)
                assert isinstance(field, models.TextField), f"{model.__name__}.{name}"
                assert not field.is_relation, f"{model.__name__}.{name}"
                assert apps.get_model(target)
            for name in model.prose_fields:
                field = model._meta.get_field(name)
                assert isinstance(field, models.TextField), f"{model.__name__}.{name}"
                assert not field.choices, f"{model.__name__}.{name}"


def test_command_writes_and_checks(tmp_path, capsys):
    with pytest.raises(CommandError, match="out of date") as raised:
        call_command("erd", "--check", "--output", str(tmp_path))
    assert raised.value.returncode == 1
    call_command("erd", "--output", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(erd.render_all())
    call_command("erd", "--check", "--output", str(tmp_path))
    assert "up to date" in capsys.readouterr().out


@pytest.mark.slow
def test_an_unwritable_folder_is_one_line_exit_2(tmp_path):
    """As root too: nothing can be created below a regular file, nor written over a folder."""
    regular = tmp_path / "a-file"
    regular.write_text("not a folder\n")
    below_a_file = manage("erd", "--output", str(regular / "diagrams"))
    assert_one_line_error(below_a_file)
    assert "cannot create the folder" in below_a_file.stderr
    occupied = tmp_path / "occupied"
    (occupied / "overview.md").mkdir(parents=True)
    cannot_write = manage("erd", "--output", str(occupied))
    assert_one_line_error(cannot_write)
    assert f"cannot write {occupied / 'overview.md'}" in cannot_write.stderr
    assert [p.name for p in occupied.iterdir()] == ["overview.md"]  # nothing else written
    # A file there that is not the diagram is out of date, not an error.
    with pytest.raises(CommandError) as raised:
        call_command("erd", "--check", "--output", str(occupied))
    assert raised.value.returncode == 1


def test_an_empty_folder_name_is_refused_not_taken_as_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match="--output: an empty path"):
        call_command("erd", "--output", "")
    assert list(tmp_path.iterdir()) == []
