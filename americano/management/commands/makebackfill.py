"""``manage.py makebackfill``: write the skeleton of a migration that runs a batched backfill."""

from __future__ import annotations

from typing import Any

from americano.management.base import ProjectCommand
from americano.ops.makebackfill import (
    BackfillMigration,
    new_backfill_migration,
    write_backfill_migration,
)


class Command(ProjectCommand):
    help = (
        "Writes a new migration of APP that runs a batched, resumable backfill (RunBackfill), "
        "named after DESCRIPTION (e.g. 'fill day of week' -> 0007_backfill_fill_day_of_week.py, "
        "backfill APP.fill_day_of_week), with comments on what to fill in. It depends on the "
        "app's latest migration and says atomic = False. See docs/backfills.md."
    )
    exit_codes = {
        0: "the migration was written (--dry-run: printed)",
        2: "refused, nothing written: an unknown app or model, an app that is not the\n"
        "     project's own (site-packages), a name or file that exists, a folder that\n"
        "     cannot be written",
    }
    json_doc = "docs/backfills.md"

    def add_options(self, parser):
        parser.add_argument("app_label", help="The app whose migrations get the new one.")
        parser.add_argument("description", help="What the backfill does, in a few words.")
        parser.add_argument(
            "--model",
            help="The model whose rows change; its fields are listed in a comment "
            "(default: a TODO to fill in).",
        )
        parser.add_argument(
            "--deferred",
            action="store_true",
            help="Make migrate only register the backfill, for `manage.py backfill NAME` "
            "after the deploy (big tables).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the migration instead of writing it.",
        )

    def run(self, **options: Any) -> BackfillMigration:
        arguments = (options["app_label"], options["description"])
        settings = {"model_name": options["model"], "deferred": options["deferred"]}
        if options["dry_run"]:
            return new_backfill_migration(*arguments, **settings)
        return write_backfill_migration(*arguments, **settings)

    def render(self, migration: BackfillMigration) -> str:
        if not migration.written:
            return f"# {migration.path}\n{migration.text}"
        return f"Wrote {migration.path}\nFill in its TODOs, then run `manage.py migrate`."
