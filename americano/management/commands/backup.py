"""``manage.py backup``: make, verify, list and prune pg_dump backups (see docs/backups.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from americano.core.errors import InputError
from americano.core.reports import printable
from americano.management.base import ProjectCommand
from americano.ops import backup
from americano.ops.databases import connection_for_alias
from americano.ops.pgtools import sweep_leftovers

Report = backup.BackupResult | backup.CheckedBackup | backup.BackupListing | backup.RetentionPlan


def human_size(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TiB"


def restore_test_lines(test: backup.RestoreTest | None) -> list[str]:
    if test is None:
        return []
    if test.ok:
        return [
            f"  restore test  ok: {test.tables} tables, {test.rows} rows and the migrations "
            f"match, in {test.seconds:.1f} s (scratch database {test.database}, dropped)"
        ]
    return [f"  restore test  FAILED: {printable('; '.join(test.verification.problems))}"]


class Command(ProjectCommand):
    help = """\
Back up the database with PostgreSQL's own pg_dump, and check the backups.

Without an action flag, dumps the database (custom format, -Fc) to
<dir>/YYYYMMDDHHMMSS_<label>.dump with a JSON manifest beside it
(<...>.manifest.json: server version, applied migrations, sha256 and size,
row counts per table read in the same snapshot as the dump, tool versions,
timings), then reads the file back (sha256, every data block, the tables of
pg_restore --list) before it reports success. pg_dump is $PG_DUMP, else the
first new enough of the one on PATH and the one shipped with the embedded
server; one older than the server is refused. The password is handed over in
a temporary PGPASSFILE: never on a command line, in the output or in the
manifest.

Actions: --verify FILE checks an existing backup; --list shows the backups;
--prune deletes the backups the retention policy does not keep (the newest
--keep-last, and all younger than --keep-days; never a file whose name holds no
valid time); two prunes of one folder take turns. --restore-test also restores
the backup into a scratch database (dropped afterwards) and compares the row
counts and migrations with the manifest.

Verification reads the whole archive (pg_restore decompresses every data block)
and checks that its table of contents holds the data of exactly the tables of
the manifest. SIGTERM or Ctrl-C stops pg_dump, removes the .partial files and
the password file, and exits 2 saying so; after a SIGKILL, pg_dump dies with
this process and the next run removes the password file (docs/backups.md)."""
    exit_codes = {
        0: "done, and everything verified",
        1: "verification failed (the archive, or a restore test, does not match its manifest)",
        2: "error: bad arguments, database unreachable, folder not writable, pg_dump or "
        "pg_restore missing or too old, interrupted (the message says what was left), ...",
    }
    json_doc = "docs/backups.md"

    def add_options(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--verify",
            metavar="FILE",
            help="Check an existing backup (a .dump or its manifest) instead of making one: "
            "header, size and sha256 against the manifest, every data block read, and the "
            "tables of pg_restore --list against the manifest's.",
        )
        action.add_argument(
            "--list", action="store_true", help="Show the backups in --dir, newest first."
        )
        action.add_argument(
            "--prune",
            action="store_true",
            help="Delete the backups in --dir that the retention policy does not keep.",
        )
        parser.add_argument(
            "--dir",
            default=str(settings.AMERICANO_BACKUP_DIR),
            help="The folder of the backups (default: backups/ in the project folder, which git "
            "ignores; created mode 0700 if missing).",
        )
        parser.add_argument(
            "--label",
            help="The name part of the file (default: the database name): letters, digits, "
            "'.', '_' and '-'. E.g. --label pre-migrate.",
        )
        parser.add_argument(
            "--compress",
            metavar="SPEC",
            help="pg_dump's --compress, e.g. 'gzip:6', 'zstd:3', 'lz4' or 'none' "
            "(default: pg_dump's, gzip).",
        )
        parser.add_argument(
            "--restore-test",
            action="store_true",
            help="After making (or with --verify, checking) a backup, restore it into a scratch "
            "database on the same server and compare row counts and migrations with the "
            "manifest. The scratch database is always dropped.",
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=backup.DEFAULT_KEEP_DAYS,
            help=f"With --prune: keep every backup younger than this many days "
            f"(default {backup.DEFAULT_KEEP_DAYS}, at most {backup.MAX_KEEP_DAYS}).",
        )
        parser.add_argument(
            "--keep-last",
            type=int,
            default=backup.DEFAULT_KEEP_LAST,
            help=f"With --prune: always keep this many newest backups, however old "
            f"(default {backup.DEFAULT_KEEP_LAST}, at least 1).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="With --prune: say what would be deleted, delete nothing.",
        )
        self.add_database_option(parser, "back up")

    def run(self, **options: Any) -> Report:
        self.check_combination(options)
        # An unknown alias is a mistake whatever the action, though --list and --prune do
        # not connect: they must work while the server is down.
        connection = connection_for_alias(options["database"])
        sweep_leftovers()
        if options["list"]:
            backups = backup.list_backups(options["dir"])
            return backup.BackupListing(Path(options["dir"]), backups)
        if options["prune"]:
            return backup.prune_backups(
                options["dir"],
                options["keep_days"],
                options["keep_last"],
                dry_run=options["dry_run"],
            )
        if options["verify"] is not None:
            path = backup.existing_archive(options["verify"])
            return backup.check_backup(path, connection if options["restore_test"] else None)
        return backup.create_backup(
            connection,
            options["dir"],
            options["label"],
            compress=options["compress"],
            restore_test=options["restore_test"],
        )

    @staticmethod
    def check_combination(options: dict[str, Any]) -> None:
        making = not (options["list"] or options["prune"] or options["verify"] is not None)
        misplaced = []
        if not making:
            given = [name for name in ("label", "compress") if options[name] is not None]
            misplaced += [f"--{name}" for name in given]
        if not options["prune"]:
            if options["dry_run"]:
                misplaced.append("--dry-run")
            if options["keep_days"] != backup.DEFAULT_KEEP_DAYS:
                misplaced.append("--keep-days")
            if options["keep_last"] != backup.DEFAULT_KEEP_LAST:
                misplaced.append("--keep-last")
        if options["restore_test"] and (options["list"] or options["prune"]):
            misplaced.append("--restore-test")
        if misplaced:
            raise InputError(f"{', '.join(misplaced)} cannot be used here (see --help)")

    def summary(self, report: Report) -> str:
        if isinstance(report, backup.CheckedBackup):
            return f"{report.path} failed verification"
        if isinstance(report, backup.BackupResult) and report.verified:
            return "the restore test failed verification"
        return "the backup failed verification"

    def render(self, report: Report) -> str:
        if isinstance(report, backup.BackupListing):
            return self.render_listing(report)
        if isinstance(report, backup.RetentionPlan):
            return self.render_pruning(report)
        if isinstance(report, backup.CheckedBackup):
            return self.render_check(report)
        return self.render_backup(report)

    @staticmethod
    def render_backup(result: backup.BackupResult) -> str:
        data, seconds = result.as_dict(), result.seconds
        lines = [
            f"{'Backed up' if result.verified else 'Backup FAILED verification:'} "
            f"{result.database} (PostgreSQL {data['server_version']})",
            f"  file          {result.path} ({human_size(data['size'])})",
            f"  manifest      {result.manifest_path}",
            f"  content       {data['tables']} tables, {data['rows']} rows, "
            f"{data['migrations']} migrations applied",
            f"  sha256        {data['sha256']}",
            f"  pg_dump       {result.pg_dump.describe()}",
        ]
        if result.verified:
            lines.append(f"  verified      {'; '.join(result.verification.checks)}")
        else:
            lines.append(f"  problems      {printable('; '.join(result.verification.problems))}")
            lines.append("  the files keep their .partial names: this is not a usable backup")
        lines += restore_test_lines(result.restore_test)
        lines.append(
            f"  took          {seconds['total']:.1f} s (dump {seconds['dump']:.1f} s, "
            f"sha256 {seconds['hash']:.1f} s, verification {seconds['verify']:.1f} s)"
        )
        return "\n".join(lines)

    @staticmethod
    def render_check(check: backup.CheckedBackup) -> str:
        verification = check.verification
        if verification.ok:
            lines = [f"{check.path}: ok", *(f"  {line}" for line in verification.checks)]
        else:
            lines = [
                f"{check.path}: FAILED verification",
                *(f"  {printable(problem)}" for problem in verification.problems),
            ]
        return "\n".join(lines + restore_test_lines(check.restore_test))

    @staticmethod
    def render_listing(listing: backup.BackupListing) -> str:
        lines = [f"{len(listing.backups)} backups in {listing.directory}"]
        for entry in listing.as_dict()["backups"]:
            if entry["problem"]:
                summary = f"({entry['problem']})"
            else:
                summary = (
                    f"{entry['database']} on PostgreSQL {entry['server_version']}, "
                    f"{entry['tables']} tables, {entry['rows']} rows, "
                    f"{entry['migrations']} migrations"
                )
            lines.append(
                f"  {entry['created_at'] or 'no valid time':<20}  {human_size(entry['size']):>10}  "
                f"{Path(entry['file']).name}  {summary}"
            )
        return "\n".join(lines)

    @staticmethod
    def render_pruning(plan: backup.RetentionPlan) -> str:
        verb = "would delete" if plan.dry_run else "deleted"
        return "\n".join(
            [
                f"retention: keep the newest {plan.keep_last} and all younger than "
                f"{plan.keep_days} days: kept {len(plan.keep)}, {verb} {len(plan.delete)}",
                *(f"  {verb} {entry.path.name}" for entry in plan.delete),
                *(f"  kept {entry.path.name}: {backup.NO_TIME}" for entry in plan.undated),
            ]
        )
