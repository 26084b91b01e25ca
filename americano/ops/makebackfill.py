"""The skeleton of a migration that runs a new batched backfill (``manage.py makebackfill``).

The migration depends on the app's latest migration and on the checkpoint
migration, says ``atomic = False``, and holds a ``RunBackfill`` whose ``pending``,
``update`` and ``reverse`` are TODOs with a comment on each form: left as
written, it fails at ``migrate`` rather than changing anything.

It writes only into the project's own apps (never into an installed package's
migrations), and whatever the description holds (quotes, backslashes, line
breaks, control characters), the file is valid Python whose docstring says it.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import sysconfig
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader

from americano.core.errors import InputError, RefusedError, SetupError
from americano.db.backfill import CHECKPOINT_MIGRATION, find_backfills


def slug(text: str, length: int = 40) -> str:
    """``text`` as a migration or backfill name part: lower case, digits and underscores."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:length].rstrip("_")


def escaped(text: str) -> str:
    """``text`` for a triple-quoted string or a comment: its escapes read back as ``text``,
    with no quote, line break or control character left raw."""
    return repr(text)[1:-1].replace('"', '\\"')


def require_project_folder(folder: Path, app_label: str) -> None:
    """Refuse a migrations folder outside the project, or inside an installed package:
    a migration written there belongs to someone else and is lost on the next install."""
    root = Path(settings.BASE_DIR).resolve()
    folder = folder.resolve()
    installed = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    if (
        not folder.is_relative_to(root)
        or any(folder.is_relative_to(path) for path in installed)
        or {"site-packages", "dist-packages"} & set(folder.parts)
    ):
        raise RefusedError(
            f"app {app_label} is not one of the project's own: its migrations are in {folder},"
            f" outside {root} or in an installed package"
        )


MIGRATION_TEMPLATE = '''"""{description}: a batched backfill.

Written by `manage.py makebackfill`. Fill in the TODOs, then run `manage.py migrate`.
With deferred=True, migrate only registers the backfill: run it after the deploy with
`manage.py backfill {name}`, and finish it in a later migration with
FinishBackfill("{name}"). See docs/backfills.md.
"""

from django.db import migrations
from django.db.models import F, Q

from americano.db.backfill import RunBackfill


class Migration(migrations.Migration):
    # Each batch commits on its own: a backfill cannot run inside one transaction.
    atomic = False

    dependencies = [
        {dependencies}
    ]

    operations = [
        RunBackfill(
            # Unique in the project: `manage.py backfill` runs, resumes or reports it by name.
            name="{name}",
            # The model whose rows change (its name in lower case, as in AddField).
            model_name="{model_name}",{fields}
            # TODO: the rows not yet done, as a Q or an SQL condition. Only these are
            # touched, so a killed run resumes cleanly and a second run changes nothing.
            pending=Q(TODO__isnull=True),
            # TODO: the change: {{field: value or expression}}, an SQL SET clause
            # ('"column" = ...'), or a function(queryset) returning how many rows it changed.
            update={{"TODO": F("TODO")}},
            # TODO: how to undo it: an update like the one above (with reverse_pending),
            # RunBackfill.noop when reversing needs no data change, or no reverse at all
            # to make the migration irreversible.
            reverse=RunBackfill.noop,
            batch_size=4_000,  # rows per batch, each batch one short transaction
            sleep=0.0,  # seconds between batches, to leave the server room for other work
            lock_timeout="5s",  # a batch that waits longer for a lock gives up and is retried
            deferred={deferred},
        ),
    ]
'''


@dataclass(frozen=True)
class BackfillMigration:
    """A migration that runs a new backfill: where it goes, its backfill's name, its text."""

    path: Path
    name: str
    text: str
    written: bool = False

    ok = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "name": self.name,
            "written": self.written,
            "text": self.text,
        }


def new_backfill_migration(
    app_label: str, description: str, *, model_name: str | None = None, deferred: bool = False
) -> BackfillMigration:
    """The path and text of a new migration of ``app_label`` that runs a backfill."""
    description = description.strip()
    name_part = slug(description)
    if not name_part:
        raise InputError("the description needs at least one letter or digit")
    if model_name is not None and not model_name.strip():
        raise InputError("--model is empty: leave it out for a TODO")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    if app_label not in loader.migrated_apps:
        raise InputError(f"app {app_label!r} has no migrations package")
    module_name, _ = loader.migrations_module(app_label)
    folder = Path(importlib.import_module(module_name).__file__).parent
    require_project_folder(folder, app_label)
    leaves = loader.graph.leaf_nodes(app_label)
    if len(leaves) > 1:
        raise InputError(
            f"app {app_label} has conflicting migrations ({', '.join(n for _, n in leaves)}):"
            " run `manage.py makemigrations --merge` first"
        )
    name = f"{app_label}.{name_part}"
    if name in find_backfills(loader):
        raise InputError(f"a backfill named {name} already exists")
    fields = ""
    if model_name:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError as error:
            raise InputError(str(error)) from error
        model_name = model._meta.model_name
        columns = ", ".join(f"{f.name} ({f.column})" for f in model._meta.concrete_fields)
        lines = textwrap.wrap(escaped(f"Its fields (columns): {columns}."), 80)
        fields = "".join(f"\n            # {line}" for line in lines)
    number = MigrationAutodetector.parse_number(leaves[0][1]) + 1 if leaves else 1
    dependencies = [CHECKPOINT_MIGRATION, *leaves]
    text = MIGRATION_TEMPLATE.format(
        description=escaped(description[:1].upper() + description[1:].rstrip(". ")),
        name=name,
        model_name=model_name or "TODO",
        fields=fields,
        deferred=deferred,
        dependencies="\n        ".join(f'("{app}", "{node}"),' for app, node in dependencies),
    )
    return BackfillMigration(folder / f"{number:04d}_backfill_{name_part}.py", name, text)


def write_backfill_migration(
    app_label: str, description: str, *, model_name: str | None = None, deferred: bool = False
) -> BackfillMigration:
    """Write the migration ``new_backfill_migration`` describes; never overwrite one."""
    migration = new_backfill_migration(
        app_label, description, model_name=model_name, deferred=deferred
    )
    try:
        with migration.path.open("x", encoding="utf-8") as handle:
            handle.write(migration.text)
    except FileExistsError:
        raise InputError(f"{migration.path} already exists") from None
    except OSError as error:
        with contextlib.suppress(OSError):
            migration.path.unlink(missing_ok=True)  # half a migration would break the app
        raise SetupError(f"cannot write {migration.path}: {error.strerror or error}") from None
    return replace(migration, written=True)
