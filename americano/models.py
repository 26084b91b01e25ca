"""Tables the project keeps for itself (named ``americano_*``), not part of the Prisma schema."""

from django.db import models
from django.db.models.functions import Now

from americano.db.fields import ForeignKey


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


class BackfillRange(models.Model):
    """A key range of a backfill that a worker claimed and (perhaps) finished.

    A range ``(lower_key, upper_key]`` is claimed in a short transaction of its own before
    a worker updates it, and marked ``done`` in the same transaction as its rows; so a
    range still ``claimed`` when its run died was not done, and the next run redoes it
    first. Ranges are claimed in key order, so by ``id`` they are a contiguous chain after
    the checkpoint's ``last_key``; the coordinator deletes them once ``last_key`` passes.
    """

    class State(models.TextChoices):
        CLAIMED = "claimed"
        DONE = "done"

    #: ON DELETE CASCADE in the database too: deleting a checkpoint by hand takes its ranges.
    #: Not indexed: the table holds only the ranges in flight.
    backfill = ForeignKey(BackfillRun, on_delete=models.CASCADE, related_name="ranges")
    #: Exclusive; null for the range that starts at the table's first key.
    lower_key = models.TextField(null=True, blank=True)
    #: Inclusive.
    upper_key = models.TextField()
    state = models.TextField(choices=State.choices, db_default=State.CLAIMED)
    #: The worker's number in its run (1..workers) and its server process id.
    worker = models.IntegerField()
    worker_pid = models.IntegerField(null=True, blank=True)
    #: Keys in the range when it was bounded; rows it changed, once done.
    rows_scanned = models.BigIntegerField(db_default=0)
    rows_done = models.BigIntegerField(db_default=0)
    claimed_at = models.DateTimeField(db_default=Now())
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "americano_backfill_range"

    def __str__(self) -> str:
        return f"{self.backfill_id}: ({self.lower_key}, {self.upper_key}] {self.state}"
