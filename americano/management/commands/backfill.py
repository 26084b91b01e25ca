"""``manage.py backfill``: run, resume or report the batched backfills of the migrations."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS

from americano.db.backfill import BackfillError, Result, terminal_progress
from americano.management.legacy import LifecycleCommand, add_format_argument
from americano.ops.backfill import OUTSTANDING, backfill_status, plan_backfill, run_backfill

EXIT_UNFINISHED = 1
EXIT_ERROR = 2

EXIT_CODES = """\
exit status:
  0  the backfill is finished (--status: every applied backfill is; --dry-run: planned)
  1  unfinished: stopped by --max-rows, a batch failed, or it runs elsewhere
     (--status: some backfill is pending, running, unfinished or failed)
  2  error: unknown name, migration not applied, bad arguments, database unreachable

The JSON keys of --format json are documented in docs/backfills.md."""


class Command(LifecycleCommand):
    help = """Run, resume or report the batched backfills (RunBackfill) of the migrations.

A backfill is named in its migration, RunBackfill(name=...); names are unique in the
project. `backfill NAME` runs it from where its checkpoint (table americano_backfill)
says it stopped, one short transaction per batch of primary keys, until it is done.
Stopped at any point (Ctrl-C, a kill, a failed batch), the next run resumes without
redoing or skipping rows; run when finished, it changes nothing. Use it for the
deferred backfills of big tables after a deploy (RunBackfill(deferred=True)), or to
finish one that a `migrate` left unfinished.

`backfill --status` lists every backfill with where it got to."""

    exit_codes = EXIT_CODES

    def add_arguments(self, parser):
        parser.add_argument(
            "name", nargs="?", help="The backfill to run or resume, as in RunBackfill(name=...)."
        )
        parser.add_argument(
            "--status",
            action="store_true",
            help="List every backfill: status (finished, not-applied, pending, running, "
            "unfinished, failed), rows done, last key, times, errors.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            metavar="N",
            help="Rows of primary key per batch (default: the migration's, usually 5000).",
        )
        parser.add_argument(
            "--sleep",
            type=float,
            metavar="S",
            help="Seconds to pause between batches, to leave room for other traffic "
            "(default: the migration's, usually 0).",
        )
        parser.add_argument(
            "--max-rows",
            type=int,
            metavar="N",
            help="Stop after the batch that brings the rows updated in this run to N or more; "
            "the next run resumes there (exit status 1 while unfinished).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Change nothing: count the rows a run would update (a full count of the "
            "pending rows left) and show the settings it would use.",
        )
        add_format_argument(parser)
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The Django database alias (default: 'default').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.json = options["format"] == "json"
        self.check_options(options)
        try:
            if options["status"]:
                self.status(options["database"])
            elif options["dry_run"]:
                self.dry_run(options)
            else:
                self.run(options)
        except BackfillError as error:
            raise CommandError(str(error), returncode=error.returncode) from None

    @staticmethod
    def check_options(options: dict[str, Any]) -> None:
        problems = []
        if options["status"] and options["name"]:
            problems.append("give a backfill NAME or --status, not both")
        if not options["status"] and not options["name"]:
            problems.append("give a backfill NAME, or --status")
        if options["status"]:
            used = [
                f"--{key.replace('_', '-')}"
                for key in ("batch_size", "sleep", "max_rows", "dry_run")
                if options[key] not in (None, False)
            ]
            if used:
                problems.append(f"{', '.join(used)} cannot be used with --status")
        for key in ("batch_size", "max_rows"):
            if options[key] is not None and options[key] < 1:
                problems.append(f"--{key.replace('_', '-')} must be at least 1")
        if options["sleep"] is not None and options["sleep"] < 0:
            problems.append("--sleep cannot be negative")
        if problems:
            raise CommandError("; ".join(problems), returncode=EXIT_ERROR)

    def status(self, using: str) -> None:
        statuses = backfill_status(using)
        if self.json:
            self.stdout.write(json.dumps({"backfills": [s.as_json() for s in statuses]}, indent=2))
        elif not statuses:
            self.stdout.write("No backfills.")
        else:
            rows = [("NAME", "STATUS", "ROWS DONE", "BATCHES", "ERRORS", "UPDATED", "MIGRATION")]
            for s in statuses:
                updated = s.updated_at.strftime("%Y-%m-%d %H:%M:%S") if s.updated_at else "-"
                where = f"{s.app}.{s.migration}" if s.migration else "-"
                counts = (f"{s.rows_done:,}", f"{s.batches:,}", str(s.errors))
                rows.append((s.name, s.status, *counts, updated, where))
            widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
            for row in rows:
                self.stdout.write(
                    "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
                )
            for s in statuses:
                if s.status == "failed":
                    self.stdout.write(f"{s.name}: last error: {s.last_error}")
        outstanding = [s.name for s in statuses if s.status in OUTSTANDING]
        if outstanding:
            raise CommandError(
                f"{len(outstanding)} backfill(s) not finished: {', '.join(outstanding)}",
                returncode=EXIT_UNFINISHED,
            )

    def dry_run(self, options: dict[str, Any]) -> None:
        plan = plan_backfill(
            options["name"],
            options["database"],
            batch_size=options["batch_size"],
            sleep=options["sleep"],
        )
        if self.json:
            self.stdout.write(json.dumps(plan.as_json(), indent=2))
            return
        estimate = (
            "unknown" if plan.table_rows_estimate is None else f"{plan.table_rows_estimate:,}"
        )
        self.stdout.write(
            f"backfill {plan.name} ({plan.app}.{plan.migration}), table {plan.table}: "
            f"{plan.status}\n"
            f"  would update {plan.pending_rows:,} rows of about {estimate}, "
            f"after key {plan.last_key!r}\n"
            f"  batches of {plan.batch_size:,} rows, {plan.sleep} s apart, "
            f"lock_timeout {plan.lock_timeout}; nothing was changed"
        )

    def run(self, options: dict[str, Any]) -> None:
        name = options["name"]
        stream = getattr(self.stdout, "_out", self.stdout)
        try:
            with terminal_progress(name, stream) as progress:
                result = run_backfill(
                    name,
                    options["database"],
                    batch_size=options["batch_size"],
                    sleep=options["sleep"],
                    max_rows=options["max_rows"],
                    progress=progress,
                )
        except BackfillError as error:
            if self.json and error.returncode == EXIT_UNFINISHED:
                self.stdout.write(
                    json.dumps({"name": name, "status": "failed", "error": str(error)})
                )
            raise
        self.report(result)
        if not result.finished:
            raise CommandError(
                f"backfill {name} is unfinished (stopped by --max-rows after key "
                f"{result.last_key!r}): run it again to resume",
                returncode=EXIT_UNFINISHED,
            )

    def report(self, result: Result) -> None:
        if self.json:
            self.stdout.write(
                json.dumps(
                    {
                        "name": result.name,
                        "status": "finished" if result.finished else "unfinished",
                        "batches": result.batches,
                        "rows": result.rows,
                        "scanned": result.scanned,
                        "seconds": round(result.seconds, 3),
                        "rows_per_second": round(result.rows_per_second, 1),
                        "slowest_batch_seconds": round(result.slowest_batch, 3),
                        "rows_done": result.rows_done,
                        "last_key": result.last_key,
                    },
                    indent=2,
                )
            )
            return
        state = "finished" if result.finished else "unfinished"
        self.stdout.write(
            f"backfill {result.name}: {state}; {result.rows:,} rows updated in "
            f"{result.batches:,} batches ({result.scanned:,} scanned), {result.seconds:.1f} s, "
            f"{result.rows_per_second:,.0f} rows/s, slowest batch {result.slowest_batch:.3f} s; "
            f"{result.rows_done:,} rows done in all"
        )
