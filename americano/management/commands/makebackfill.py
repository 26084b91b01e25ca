"""``manage.py makebackfill``: write the skeleton of a migration that runs a batched backfill."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from americano.db.backfill import BackfillError
from americano.ops.backfill import new_backfill_migration, write_backfill_migration


class Command(BaseCommand):
    help = (
        "Writes a new migration of APP that runs a batched, resumable backfill (RunBackfill), "
        "named after DESCRIPTION (e.g. 'fill day of week' -> 0007_backfill_fill_day_of_week.py, "
        "backfill APP.fill_day_of_week), with comments on what to fill in. It depends on the "
        "app's latest migration and says atomic = False. See docs/backfills.md."
    )

    def add_arguments(self, parser):
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

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = (options["app_label"], options["description"])
        settings = {"model_name": options["model"], "deferred": options["deferred"]}
        try:
            if options["dry_run"]:
                path, text = new_backfill_migration(*arguments, **settings)
                self.stdout.write(f"# {path}\n{text}", ending="")
                return
            path = write_backfill_migration(*arguments, **settings)
        except BackfillError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"Wrote {path}\nFill in its TODOs, then run `manage.py migrate`.")
