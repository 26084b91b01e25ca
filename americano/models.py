"""Tables the project keeps for itself (named ``americano_*``), not part of the Prisma schema."""

from django.db import models
from django.db.models.functions import Now


class BackfillRun(models.Model):
    """Where a batched backfill got to: one row per backfill, advanced in each batch's transaction.

    The batch runner (``americano.db.backfill.checkpoints``) writes it through this model,
    on the batch's connection and in the same transaction as the rows it updates, so a
    run killed at any point resumes after ``last_key`` without redoing or skipping rows.
    """

    name = models.TextField(unique=True)
    app_label = models.TextField()
    table = models.TextField()
    #: The primary key of the last row of the last committed batch, as text.
    last_key = models.TextField(null=True, blank=True)
    rows_done = models.BigIntegerField(db_default=0)
    rows_scanned = models.BigIntegerField(db_default=0)
    batches = models.BigIntegerField(db_default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(db_default=Now())
    finished_at = models.DateTimeField(null=True, blank=True)
    #: Failed batch attempts, all runs together; ``last_error`` is cleared by the next good batch.
    errors = models.IntegerField(db_default=0)
    last_error = models.TextField(db_default="", blank=True)

    class Meta:
        db_table = "americano_backfill"

    def __str__(self) -> str:
        return f"Backfill {self.name}"
