"""PostgreSQL enum types declared in Python.

A domain app declares each enum type as a ``DatabaseEnum`` (a ``TextChoices``)
in its own module. The class name is the type name, the member values are the
labels in their order, and the app that defines the class owns the type: its
migrations create and alter it, other apps may use it in their fields.
"""

from django.apps import apps
from django.db import models


class DatabaseEnum(models.TextChoices):
    """Base class of every enum that is a PostgreSQL enum type."""


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def declared_enum_types() -> dict[str, tuple[str, list[str]]]:
    """Map each declared enum type to ``(owning app label, labels)``.

    Only classes defined inside an installed app count, so test-only enums
    stay out of the way unless their app is installed.
    """
    declared = {}
    for enum in _subclasses(DatabaseEnum):
        app_config = apps.get_containing_app_config(enum.__module__)
        if app_config is None:
            continue
        name = enum.__name__
        if name in declared:
            raise ValueError(f"enum type {name} is declared twice ({enum.__module__})")
        declared[name] = (app_config.label, list(enum.values))
    return declared
