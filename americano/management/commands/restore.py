"""``manage.py restore FILE``: restore a verified backup, atomically (see docs/backups.md)."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from americano.core.environment import refuse_in_production
from americano.core.reports import printable
from americano.management.base import ProjectCommand
from americano.ops import backup
from americano.ops.databases import connection_for_alias, connection_for_url, describe
from americano.ops.pgtools import sweep_leftovers

Report = backup.RestoreResult | backup.RestoreRefused


class Command(ProjectCommand):
    help = """\
Restore a backup made by `manage.py backup` into the database, or into --target-url.

First verifies the archive against its manifest (size, sha256, every data
block read, the tables of pg_restore --list both ways) and refuses a file that
fails. Refuses a target that has tables unless --force, which first says what
it drops: everything in the target's schemas, including tables the backup does
not know (pg_restore --clean would leave those behind). Refuses to run when
AMERICANO_ENV=production unless --allow-production.

Restores into one database take turns: each holds a PostgreSQL advisory lock
on its target from before it looks at it until it is done, and a second one
waits up to --lock-wait seconds for the first.

The restore runs in a single transaction (psql runs the script of pg_restore
--exit-on-error --single-transaction after a BEGIN; with --force, after the
drops too), so a failed, interrupted or killed restore leaves the target as it
was. --jobs N restores in parallel, which cannot be one transaction.
Afterwards the row counts and applied migrations are compared with the
manifest, and the migrations that `migrate` would apply to the restored
database are listed."""
    exit_codes = {
        0: "restored, and the result matches the manifest",
        1: "verification failed: the archive is corrupt (nothing was restored), or the restored "
        "database does not match the manifest",
        2: "error or refusal: bad arguments, target not empty without --force, production "
        "without --allow-production, restore failed (the target is left as it was), another "
        "restore into the target for longer than --lock-wait, interrupted (the message says "
        "what the target holds), ...",
    }
    json_doc = "docs/backups.md"

    def add_options(self, parser):
        parser.add_argument(
            "file", help="The backup: a .dump file (its .manifest.json must be beside it)."
        )
        parser.add_argument(
            "--target-url",
            help="Restore into this database (a postgresql:// URL; it must exist) instead of the "
            "project's database.",
        )
        self.add_database_option(parser, "restore into when no --target-url")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore over a database that has tables: drop everything in its schemas first, "
            "in the same transaction as the restore.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Allow the restore when AMERICANO_ENV=production.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help=f"Parallel pg_restore jobs (default 1, at most {backup.MAX_JOBS}). More than 1 "
            "is faster on big databases but not one transaction: a failure can leave a partial "
            "restore. Only into an empty target.",
        )
        parser.add_argument(
            "--lock-wait",
            type=float,
            default=backup.DEFAULT_LOCK_WAIT,
            metavar="SECONDS",
            help="How long to wait for another restore into the same database to finish "
            f"(default {backup.DEFAULT_LOCK_WAIT:g}, at most {backup.MAX_LOCK_WAIT:g}); then "
            "exit 2 naming the session that holds the lock.",
        )
        parser.add_argument(
            "--no-owner",
            action="store_true",
            help="Do not restore the owners of objects (they belong to the restoring user): for "
            "a server whose roles differ from the original's.",
        )
        parser.add_argument(
            "--no-privileges",
            action="store_true",
            help="Do not restore privileges (GRANT/REVOKE).",
        )

    def run(self, **options: Any) -> Report:
        refuse_in_production("restore a backup", options["allow_production"])
        sweep_leftovers()
        path = backup.existing_archive(options["file"])
        target = self.target(options)
        try:
            return backup.restore_backup(
                path,
                target,
                force=options["force"],
                jobs=options["jobs"],
                no_owner=options["no_owner"],
                no_privileges=options["no_privileges"],
                lock_wait=options["lock_wait"],
                before_drop=lambda contents: self.announce_drops(target, contents),
            )
        except backup.BackupCorrupt as error:
            return backup.RestoreRefused.from_error(error, describe(target))

    @staticmethod
    def target(options: dict[str, Any]) -> BaseDatabaseWrapper:
        url = options["target_url"]
        if url is not None:
            return connection_for_url(url, what="--target-url")
        connection = connection_for_alias(options["database"])
        if connection.settings_dict.get("EMBEDDED_PGDATA"):
            # The embedded server creates its database on first use, as for every command.
            connection.ensure_connection()
        # This process must not hold a session on the database it replaces.
        connection.close()
        return connection

    def announce_drops(self, target: BaseDatabaseWrapper, contents: backup.TargetContents) -> None:
        """Say what --force will drop, before anything is dropped."""
        extras = []
        if contents.types:
            extras.append(f"{contents.types} types")
        if contents.functions:
            extras.append(f"{contents.functions} functions")
        if contents.extensions:
            extras.append(f"extensions {', '.join(contents.extensions)}")
        what = ", ".join([contents.summary(), *extras])
        message = (
            f"--force: dropping everything in schemas {', '.join(contents.schemas)} of "
            f"{describe(target)} ({what}) in the restore's transaction"
        )
        (self.stderr if self.as_json else self.stdout).write(message)

    def summary(self, report: Report) -> str:
        # One line: a table's name may hold a newline.
        problems = printable("; ".join(report.verification.problems)).replace("\n", "\\n")
        if isinstance(report, backup.RestoreRefused):
            return f"refusing to restore: {report.path} failed verification: {problems}"
        return f"restored, but the result does not match the manifest: {problems}"

    def render(self, report: Report) -> str:
        if isinstance(report, backup.RestoreRefused):
            return "\n".join(
                [
                    f"Refused to restore {report.path} into {report.target}: it failed "
                    "verification, nothing was touched",
                    *(f"  {printable(problem)}" for problem in report.verification.problems),
                ]
            )
        state, seconds = report.migrations, report.seconds
        lines = [
            f"Restored {report.path} into {report.target}"
            + ("" if report.atomic else " (parallel: not one transaction)"),
            f"  content       {report.tables} tables, {report.rows} rows",
            f"  pg_restore    {report.pg_restore.describe()}",
        ]
        if report.ok:
            lines.append(f"  verified      {'; '.join(report.verification.checks)}")
        else:
            lines.append(f"  MISMATCH      {printable('; '.join(report.verification.problems))}")
        lines.append(f"  migrations    {state.applied} applied")
        if state.pending:
            lines.append(
                f"  migrate will apply {len(state.pending)}: {', '.join(state.pending[:10])}"
                + (" ..." if len(state.pending) > 10 else "")
            )
        else:
            lines.append("  migrate has nothing to apply: the schema matches this code")
        if state.unknown:
            lines.append(
                f"  {len(state.unknown)} applied migrations are unknown to this code "
                f"(the backup is newer than the code?): {', '.join(state.unknown[:10])}"
            )
        lines.append(
            f"  took          {seconds['total']:.1f} s (verification {seconds['verify']:.1f} s, "
            f"waiting for another restore {seconds['lock']:.1f} s, "
            f"restore {seconds['restore']:.1f} s, checks {seconds['check']:.1f} s)"
        )
        return "\n".join(lines)
