"""``manage.py backfill``: run, resume or report the batched backfills of the migrations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from americano.core.errors import FindingError, InputError
from americano.core.reports import printable
from americano.db.backfill import Result
from americano.db.backfill.errors import BadBackfill
from americano.db.backfill.limits import (
    LAG_BOUNDS,
    MAX_BATCH_SIZE,
    MAX_LOCK_WAITS_BOUND,
    MAX_SLEEP,
    MAX_WORKERS,
    checked_batch_size,
    checked_max_lag,
    checked_max_lock_waits,
    checked_max_rows,
    checked_sleep,
    checked_workers,
)
from americano.management.base import ProjectCommand
from americano.ops.backfill import (
    Plan,
    StatusReport,
    backfill_status,
    plan_backfill,
    run_backfill,
)
from americano.ops.databases import connection_for_alias


@dataclass(frozen=True)
class FailedRun:
    """A run that stopped on a finding (a batch failed, the backfill runs elsewhere)."""

    name: str
    error: str
    ok = False

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": "failed", "error": self.error}


class Command(ProjectCommand):
    help = """\
Run, resume or report the batched backfills (RunBackfill) of the migrations.

A backfill is named in its migration, RunBackfill(name=...); names are unique in the
project. `backfill NAME` runs it from where its checkpoint (table americano_backfill)
says it stopped, one short transaction per batch of primary keys, until it is done.
With --workers N, N connections update the next unclaimed key ranges at once (the
checkpoint records each range, americano_backfill_range). Stopped at any point
(Ctrl-C, a kill, a failed batch), the next run redoes the ranges left half-done and
resumes without redoing or skipping rows; run when finished, it changes nothing.
SIGTERM or Ctrl-C stops every worker after its batch in progress commits (a second
one stops them at once; the server then rolls those batches back). The run pauses
while a replica lags more than --max-lag seconds or more than --max-lock-waits
sessions wait on locks, and resumes after. Use it for the
deferred backfills of big tables after a deploy (RunBackfill(deferred=True)), or to
finish one that a `migrate` left unfinished.

`backfill --status` lists every backfill with where it got to."""
    exit_codes = {
        0: "the backfill is finished (--status: every applied backfill is; --dry-run: planned)",
        1: "unfinished: stopped by --max-rows, SIGTERM or Ctrl-C, a batch failed, or it runs\n"
        "     elsewhere (--status: some backfill is pending, running, unfinished or failed)",
        2: "error: unknown name, migration not applied, bad arguments (numbers out of\n"
        "     bounds), a --replica-url that is not a replica, database unreachable; or\n"
        "     interrupted by a second signal",
    }
    json_doc = "docs/backfills.md"
    stops_gracefully = True

    def add_options(self, parser):
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
            help="Rows of primary key per batch, one transaction each, 1 to "
            f"{MAX_BATCH_SIZE:,} (default: the migration's, usually 4000).",
        )
        parser.add_argument(
            "--sleep",
            type=float,
            metavar="S",
            help=f"Seconds to pause between batches (0 to {MAX_SLEEP}), to leave room for "
            "other traffic (default: the migration's, usually 0).",
        )
        parser.add_argument(
            "--max-rows",
            type=int,
            metavar="N",
            help="Stop after the batch that brings the rows updated in this run to N or more; "
            "the next run resumes there (exit status 1 while unfinished).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            metavar="N",
            help=f"Connections updating key ranges at once, 1 to {MAX_WORKERS} (default: the "
            "migration's, usually 1); about the server's cores at most.",
        )
        parser.add_argument(
            "--max-lag",
            type=float,
            metavar="S",
            help=f"Pause while replication lag passes S seconds ({LAG_BOUNDS[0]} to "
            f"{LAG_BOUNDS[1]}; default: setting AMERICANO_BACKFILL_MAX_LAG, 10): the primary's "
            "pg_stat_replication, or the replica of --replica-url.",
        )
        parser.add_argument(
            "--max-lock-waits",
            type=int,
            metavar="N",
            help=f"Pause while more than N sessions of the database wait on locks (0 to "
            f"{MAX_LOCK_WAITS_BOUND:,}; default: setting AMERICANO_BACKFILL_MAX_LOCK_WAITS, 10).",
        )
        parser.add_argument(
            "--replica-url",
            metavar="URL",
            help="A replica (postgresql:// URL) whose lag, now() - pg_last_xact_replay_timestamp(),"
            " throttles the run instead of the primary's pg_stat_replication.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Change nothing: count the rows a run would update (a full count of the "
            "pending rows left) and show the settings it would use.",
        )
        self.add_database_option(parser, "run the backfills on")

    def run(self, **options: Any) -> StatusReport | Plan | Result | FailedRun:
        check_options(options)
        connection = connection_for_alias(options["database"])
        name = options["name"]
        settings = {key: options[key] for key in (*CHECKS, "replica_url") if key != "max_rows"}
        if options["status"]:
            return StatusReport(backfill_status(connection))
        if options["dry_run"]:
            return plan_backfill(name, connection, **settings)
        try:
            return run_backfill(
                name, connection, max_rows=options["max_rows"], stop=self.stop, **settings
            )
        except FindingError as error:
            return FailedRun(name, str(error))

    def summary(self, report: StatusReport | Result | FailedRun) -> str:
        if isinstance(report, StatusReport):
            outstanding = report.outstanding
            return printable(
                f"{len(outstanding)} backfill(s) not finished: {', '.join(outstanding)}"
            )
        if isinstance(report, FailedRun):
            return printable(report.error)
        why = "--max-rows" if report.stopped_by == "max_rows" else report.stopped_by
        return printable(
            f"backfill {report.name} is unfinished (stopped by {why} after key "
            f"{report.last_key!r}): run it again to resume"
        )

    def render(self, report: StatusReport | Plan | Result | FailedRun) -> str:
        if isinstance(report, StatusReport):
            return render_status(report)
        if isinstance(report, Plan):
            return render_plan(report)
        if isinstance(report, FailedRun):
            return printable(f"backfill {report.name}: failed")
        state = "finished" if report.finished else "unfinished"
        pauses = ""
        if report.pauses:
            why = ", ".join(sorted({pause.reason.replace("_", " ") for pause in report.pauses}))
            pauses = f"; paused {len(report.pauses)} time(s), {report.paused_seconds:.1f} s ({why})"
        return (
            f"backfill {printable(report.name)}: {state}; {report.rows:,} rows updated in "
            f"{report.batches:,} batches ({report.scanned:,} scanned) by {report.workers} "
            f"worker(s), {report.seconds:.1f} s, {report.rows_per_second:,.0f} rows/s, slowest "
            f"batch {report.slowest_batch:.3f} s{pauses}; {report.rows_done:,} rows done in all"
        )


#: The numeric options, each with the library's check of its bounds.
CHECKS = {
    "batch_size": checked_batch_size,
    "sleep": checked_sleep,
    "max_rows": checked_max_rows,
    "workers": checked_workers,
    "max_lag": checked_max_lag,
    "max_lock_waits": checked_max_lock_waits,
}


def flag(key: str) -> str:
    """The command-line option of ``options[key]``."""
    return f"--{key.replace('_', '-')}"


def check_options(options: dict[str, Any]) -> None:
    """Refuse combinations that make no sense, all in one line."""
    problems = []
    if options["status"] and options["name"]:
        problems.append("give a backfill NAME or --status, not both")
    if not options["status"] and not options["name"]:
        problems.append("give a backfill NAME, or --status")
    if options["status"]:
        used = [
            flag(key)
            for key in (*CHECKS, "replica_url", "dry_run")
            if options[key] not in (None, False)
        ]
        if used:
            problems.append(f"{', '.join(used)} cannot be used with --status")
    if options["replica_url"] is not None and not options["replica_url"].strip():
        problems.append("--replica-url is empty: give a replica's postgresql:// URL")
    for key, check in CHECKS.items():
        if options[key] is not None:
            try:
                check(options[key], flag(key))
            except BadBackfill as error:
                problems.append(str(error))
    if problems:
        raise InputError("; ".join(problems))


def render_status(report: StatusReport) -> str:
    if not report.backfills:
        return "No backfills."
    rows = [("NAME", "STATUS", "ROWS DONE", "BATCHES", "ERRORS", "UPDATED", "MIGRATION")]
    for s in report.backfills:
        updated = s.updated_at.strftime("%Y-%m-%d %H:%M:%S") if s.updated_at else "-"
        where = f"{s.app}.{s.migration}" if s.migration else "-"
        counts = (f"{s.rows_done:,}", f"{s.batches:,}", str(s.errors))
        rows.append((printable(s.name), s.status, *counts, updated, printable(where)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines += [
        printable(f"{s.name}: last error: {s.last_error}")
        for s in report.backfills
        if s.status == "failed"
    ]
    return "\n".join(lines)


def render_plan(plan: Plan) -> str:
    estimate = "unknown" if plan.table_rows_estimate is None else f"{plan.table_rows_estimate:,}"
    return (
        f"backfill {plan.name} ({plan.app}.{plan.migration}), table {printable(plan.table)}: "
        f"{plan.status}\n"
        f"  would update {plan.pending_rows:,} rows of about {estimate}, "
        f"after key {plan.last_key!r}\n"
        f"  batches of {plan.batch_size:,} rows by {plan.workers} worker(s), {plan.sleep} s "
        f"apart, lock_timeout {plan.lock_timeout}; pauses while replication lag (from the "
        f"{plan.throttle['lag_from']}) passes {plan.throttle['max_lag_seconds']:g} s or more than "
        f"{plan.throttle['max_lock_waits']} sessions wait on locks; nothing was changed"
    )
