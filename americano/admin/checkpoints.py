"""The admin of ``americano_backfill``, the backfills' checkpoint rows: looked at, never edited.

The batch runner writes these rows in each batch's transaction; a hand edit would
make a backfill skip or redo rows, so they are read-only like the event tables.
The Backfills database page shows the same rows with their status and rate.
"""

from django.contrib import admin

from americano.admin.options import ReadOnlyModelAdmin
from americano.models import BackfillRun


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
