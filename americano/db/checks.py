"""System checks that keep new models as faithful to the Prisma DDL as the old ones.

They run on the apps named in ``settings.AMERICANO_SCHEMA_APPS`` (the tables the
Prisma clients share), so that a stock field, which would create a column or a
constraint that differs from Prisma's, is caught before ``makemigrations``.
"""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models

from americano.db.enums import declared_enum_types
from americano.db.fields import DatabaseActionsMixin, EnumField, TimestampField
from americano.db.indexes import PrismaIndex
from americano.db.names import prisma_name


def schema_models():
    for label in getattr(settings, "AMERICANO_SCHEMA_APPS", ()):
        if apps.is_installed(label):
            yield from apps.get_app_config(label).get_models()


def _columns(model, field_names):
    return [model._meta.get_field(name).column for name in field_names]


@checks.register(checks.Tags.models)
def check_schema_fields(app_configs=None, **kwargs):
    return field_errors(schema_models())


@checks.register(checks.Tags.models)
def check_schema_names(app_configs=None, **kwargs):
    return name_warnings(schema_models())


def field_errors(models_to_check) -> list[checks.CheckMessage]:
    """Fields whose DDL would differ from Prisma's: stock relations, timestamps, enums."""
    errors = []
    enum_types = declared_enum_types()
    for model in models_to_check:
        for field in model._meta.local_fields:
            if field.is_relation and not isinstance(field, DatabaseActionsMixin):
                errors.append(
                    checks.Error(
                        f"{field.name} is a stock relation: its constraint would be DEFERRABLE "
                        "with no ON DELETE action.",
                        hint="Use americano.db.fields.ForeignKey or OneToOneField.",
                        obj=field,
                        id="americano.E001",
                    )
                )
            if isinstance(field, models.DateTimeField) and not isinstance(field, TimestampField):
                errors.append(
                    checks.Error(
                        f"{field.name} would be 'timestamp with time zone'.",
                        hint="Use americano.db.fields.TimestampField (timestamp(3), UTC).",
                        obj=field,
                        id="americano.E002",
                    )
                )
            if isinstance(field, EnumField) and field.enum_type not in enum_types:
                errors.append(
                    checks.Error(
                        f"{field.name} uses enum type {field.enum_type}, "
                        "which no DatabaseEnum declares.",
                        obj=field,
                        id="americano.E003",
                    )
                )
    return errors


def name_warnings(models_to_check) -> list[checks.CheckMessage]:
    """Index and unique names that do not follow Prisma's ``<table>_<columns>_idx|key``."""
    warnings = []
    for model in models_to_check:
        table = model._meta.db_table
        named = [(index, "idx") for index in model._meta.indexes if isinstance(index, PrismaIndex)]
        named += [
            (constraint, "key")
            for constraint in model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields
        ]
        for item, suffix in named:
            fields = [name.lstrip("-") for name in item.fields]
            expected = prisma_name(table, _columns(model, fields), suffix)
            if item.name != expected:
                warnings.append(
                    checks.Warning(
                        f"{item.name!r} is not the name Prisma gives it.",
                        hint=f"Name it {expected!r}.",
                        obj=model,
                        id="americano.W001",
                    )
                )
    return warnings
