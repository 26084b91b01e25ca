"""The admin of ``americano_backfill`` and ``americano_backfill_range``, the backfills' checkpoints:
looked at, never edited.

The batch runner writes these rows in each batch's transaction; a hand edit would
make a backfill skip or redo rows, so they are read-only like the event tables.
The Backfills database page shows the same rows with their status and rate.
"""

from django.contrib import admin

from americano.admin.options import ReadOnlyModelAdmin
from americano.models import BackfillRange, BackfillRun


@admin.register(BackfillRun)
class BackfillRunAdmin(ReadOnlyModelAdmin):
    list_display = (
        "name",
        "table",
        "rows_done",
        "batches",
        "errors",
        "started_at",
        "updated_at",
        "finished_at",
    )
    search_fields = ("name",)
    list_filter = ("app_label", "finished_at")
    ordering = ("name",)


@admin.register(BackfillRange)
class BackfillRangeAdmin(ReadOnlyModelAdmin):
    """The key ranges that workers claimed after each checkpoint's ``last_key``: a range still
    ``claimed`` with no run going is redone first by the next run."""

    list_display = (
        "backfill",
        "lower_key",
        "upper_key",
        "state",
        "worker",
        "worker_pid",
        "rows_done",
        "claimed_at",
        "done_at",
    )
    list_filter = ("state",)
    ordering = ("backfill", "id")
