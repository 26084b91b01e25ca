"""``manage.py backup``: make, verify, list and prune pg_dump backups (see docs/backups.md)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from americano.db.config import redact_url
from americano.management.legacy import LifecycleCommand, add_format_argument
from americano.ops import backup
from americano.ops.pgtools import ConnInfo, PgTool, PgToolError

EXIT_VERIFICATION_FAILED = 1
EXIT_ERROR = 2

EXIT_CODES = """\
exit status:
  0  done, and everything verified
  1  verification failed (the archive, or a restore test, does not match its manifest)
  2  error: bad arguments, database unreachable, pg_dump missing or too old, ...

The JSON keys of --format json are documented in docs/backups.md."""


def human_size(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TiB"


def tool_dict(tool: PgTool) -> dict[str, str]:
    return {"version": tool.version, "path": tool.path, "source": tool.source}


@contextlib.contextmanager
def progress_display(
    command: BaseCommand, enabled: bool, description: str
) -> Iterator[Callable[[backup.Progress], None] | None]:
    """A rich progress bar on a terminal; None (no display) otherwise."""
    if not enabled or not command.stdout.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bar

    console = Console(file=getattr(command.stdout, "_out", sys.stdout))
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[item]}"),
    )
    with Bar(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=None, item="")

        def update(progress: backup.Progress) -> None:
            bar.update(
                task, completed=progress.done, total=progress.total, item=progress.item[-60:]
            )

        yield update


class Command(LifecycleCommand):
    help = """\
Back up the database with PostgreSQL's own pg_dump, and check the backups.

Without an action flag, dumps the database (custom format, -Fc) to
<dir>/YYYYMMDDHHMMSS_<label>.dump with a JSON manifest beside it
(<...>.manifest.json: server version, applied migrations, sha256 and size,
row counts per table read in the same snapshot as the dump, tool versions,
timings), then reads the file back (sha256, pg_restore --list) before it
reports success. pg_dump is $PG_DUMP, else the first new enough of the one on
PATH and the one shipped with the embedded server; one older than the server
is refused. The password is handed over in a temporary PGPASSFILE: never on a
command line, in the output or in the manifest.

Actions: --verify FILE checks an existing backup; --list shows the backups;
--prune deletes the backups the retention policy does not keep (the newest
--keep-last, and all younger than --keep-days). --restore-test also restores
the backup into a scratch database (dropped afterwards) and compares the row
counts and migrations with the manifest."""

    exit_codes = EXIT_CODES

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--verify",
            metavar="FILE",
            type=Path,
            help="Check an existing backup (a .dump or its manifest) instead of making one: "
            "header, size and sha256 against the manifest, and pg_restore --list.",
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
            type=Path,
            default=Path(settings.AMERICANO_BACKUP_DIR),
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
            f"(default {backup.DEFAULT_KEEP_DAYS}).",
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
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The Django database alias to back up (default: 'default').",
        )
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.json = options["format"] == "json"
        self.verbosity = options["verbosity"]
        self.check_combination(options)
        try:
            if options["list"]:
                self.list_backups(options)
            elif options["prune"]:
                self.prune(options)
            elif options["verify"]:
                self.verify(options)
            else:
                self.make(options)
        except (backup.BackupError, PgToolError) as error:
            raise CommandError(str(error), returncode=EXIT_ERROR) from None

    @staticmethod
    def check_combination(options: dict[str, Any]) -> None:
        making = not (options["list"] or options["prune"] or options["verify"])
        misplaced = []
        if not making:
            misplaced += [f"--{name}" for name in ("label", "compress") if options[name]]
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
            raise CommandError(
                f"{', '.join(misplaced)} cannot be used here (see --help)", returncode=EXIT_ERROR
            )

    def emit(self, data: dict[str, Any], lines: list[str]) -> None:
        if self.json:
            self.stdout.write(json.dumps(data, indent=2))
        elif self.verbosity > 0:
            for line in lines:
                self.stdout.write(line)

    def conn(self, options: dict[str, Any]) -> ConnInfo:
        try:
            return ConnInfo.from_django(connections[options["database"]])
        except KeyError:
            raise CommandError(
                f"no database alias {options['database']!r}", returncode=EXIT_ERROR
            ) from None

    def restore_test(self, path: Path, options: dict[str, Any]) -> backup.RestoreTest | None:
        if not options["restore_test"]:
            return None
        return backup.restore_test(path, self.conn(options))

    @staticmethod
    def restore_test_lines(test: backup.RestoreTest | None) -> list[str]:
        if test is None:
            return []
        if test.ok:
            return [
                f"  restore test  ok: {test.tables} tables, {test.rows} rows and the migrations "
                f"match, in {test.seconds:.1f} s (scratch database {test.database}, dropped)"
            ]
        return [f"  restore test  FAILED: {'; '.join(test.verification.problems)}"]

    def make(self, options: dict[str, Any]) -> None:
        conn = self.conn(options)
        with progress_display(self, not self.json, "pg_dump") as progress:
            result = backup.create_backup(
                conn,
                options["dir"],
                options["label"],
                compress=options["compress"],
                progress=progress,
            )
        test = self.restore_test(result.path, options) if result.ok else None
        manifest = result.manifest
        ok = result.ok and (test is None or test.ok)
        data = {
            "action": "backup",
            "ok": ok,
            "file": str(result.path),
            "manifest": str(result.manifest_path),
            "database": redact_url(conn.display()),
            "server_version": manifest["server"]["version"],
            "size": manifest["dump"]["size"],
            "sha256": manifest["dump"]["sha256"],
            "tables": len(manifest["tables"]),
            "rows": manifest["rows"],
            "migrations": sum(len(names) for names in manifest["migrations"].values()),
            "pg_dump": tool_dict(result.pg_dump),
            "pg_restore": tool_dict(result.pg_restore),
            "verification": result.verification.to_dict(),
            "restore_test": test.to_dict() if test else None,
            "seconds": {key: round(value, 3) for key, value in result.seconds.items()},
        }
        seconds = result.seconds
        lines = [
            f"{'Backed up' if result.ok else 'Backup FAILED verification:'} "
            f"{redact_url(conn.display())} (PostgreSQL {data['server_version']})",
            f"  file          {result.path} ({human_size(data['size'])})",
            f"  manifest      {result.manifest_path}",
            f"  content       {data['tables']} tables, {data['rows']} rows, "
            f"{data['migrations']} migrations applied",
            f"  sha256        {data['sha256']}",
            f"  pg_dump       {result.pg_dump.describe()}",
        ]
        if result.ok:
            lines.append(f"  verified      {'; '.join(result.verification.checks)}")
        else:
            lines.append(f"  problems      {'; '.join(result.verification.problems)}")
            lines.append("  the files keep their .partial names: this is not a usable backup")
        lines += self.restore_test_lines(test)
        lines.append(
            f"  took          {seconds['total']:.1f} s (dump {seconds['dump']:.1f} s, "
            f"sha256 {seconds['hash']:.1f} s, verification {seconds['verify']:.1f} s)"
        )
        self.emit(data, lines)
        if not ok:
            what = "the backup" if not result.ok else "the restore test"
            raise CommandError(f"{what} failed verification", returncode=EXIT_VERIFICATION_FAILED)

    def verify(self, options: dict[str, Any]) -> None:
        path = backup.dump_path_for(options["verify"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=EXIT_ERROR)
        verification = backup.verify_backup(path)
        test = self.restore_test(path, options) if verification.ok else None
        ok = verification.ok and (test is None or test.ok)
        data = {
            "action": "verify",
            "ok": ok,
            "file": str(path),
            "verification": verification.to_dict(),
            "restore_test": test.to_dict() if test else None,
        }
        if verification.ok:
            lines = [f"{path}: ok", *(f"  {check}" for check in verification.checks)]
        else:
            lines = [f"{path}: FAILED verification", *(f"  {p}" for p in verification.problems)]
        lines += self.restore_test_lines(test)
        self.emit(data, lines)
        if not ok:
            raise CommandError(f"{path} failed verification", returncode=EXIT_VERIFICATION_FAILED)

    def list_backups(self, options: dict[str, Any]) -> None:
        backups = backup.list_backups(options["dir"])
        entries = [entry.to_dict() for entry in backups]
        lines = [f"{len(backups)} backups in {options['dir']}"]
        for entry in entries:
            if entry["problem"]:
                summary = f"({entry['problem']})"
            else:
                summary = (
                    f"{entry['database']} on PostgreSQL {entry['server_version']}, "
                    f"{entry['tables']} tables, {entry['rows']} rows, "
                    f"{entry['migrations']} migrations"
                )
            lines.append(
                f"  {entry['created_at']}  {human_size(entry['size']):>10}  "
                f"{Path(entry['file']).name}  {summary}"
            )
        self.emit({"action": "list", "directory": str(options["dir"]), "backups": entries}, lines)

    def prune(self, options: dict[str, Any]) -> None:
        plan = backup.prune_backups(
            options["dir"], options["keep_days"], options["keep_last"], dry_run=options["dry_run"]
        )
        verb = "would delete" if options["dry_run"] else "deleted"
        lines = [
            f"retention: keep the newest {plan.keep_last} and all younger than {plan.keep_days} "
            f"days: kept {len(plan.keep)}, {verb} {len(plan.delete)}",
            *(f"  {verb} {entry.path.name}" for entry in plan.delete),
        ]
        data = {
            "action": "prune",
            "directory": str(options["dir"]),
            "dry_run": options["dry_run"],
            "keep_days": plan.keep_days,
            "keep_last": plan.keep_last,
            "kept": [str(entry.path) for entry in plan.keep],
            "deleted": [str(entry.path) for entry in plan.delete],
        }
        self.emit(data, lines)
