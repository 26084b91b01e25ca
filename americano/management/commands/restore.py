"""``manage.py restore FILE``: restore a verified backup, atomically (see docs/backups.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from americano.core.environment import refuse_in_production
from americano.core.errors import AmericanoError
from americano.db.config import POSTGRES_SCHEMES, redact_url
from americano.management.commands.backup import (
    EXIT_ERROR,
    EXIT_VERIFICATION_FAILED,
    progress_display,
    tool_dict,
)
from americano.management.errors import command_errors
from americano.management.legacy import LifecycleCommand, add_format_argument
from americano.ops import backup
from americano.ops.pgtools import ConnInfo, PgToolError

EXIT_CODES = """\
exit status:
  0  restored, and the result matches the manifest
  1  verification failed: the archive is corrupt (nothing was restored), or the restored
     database does not match the manifest
  2  error or refusal: bad arguments, target not empty without --force, production without
     --allow-production, restore failed (the target is left as it was), ...

The JSON keys of --format json are documented in docs/backups.md."""


class Command(LifecycleCommand):
    help = """\
Restore a backup made by `manage.py backup` into the database, or into --target-url.

First verifies the archive against its manifest (size, sha256, pg_restore
--list) and refuses a file that fails. Refuses a target that has tables unless
--force, which first says what it drops: everything in the target's schemas,
including tables the backup does not know (pg_restore --clean would leave
those behind). Refuses to run when AMERICANO_ENV=production unless
--allow-production.

The restore runs in a single transaction (pg_restore --exit-on-error
--single-transaction; with --force, the drops and the restore script in one
psql transaction), so a failed restore leaves the target as it was. --jobs N
restores in parallel, which cannot be one transaction. Afterwards the row
counts and applied migrations are compared with the manifest, and the
migrations that `migrate` would apply to the restored database are listed."""

    exit_codes = EXIT_CODES

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            type=Path,
            help="The backup: a .dump file (its .manifest.json must be beside it).",
        )
        parser.add_argument(
            "--target-url",
            help="Restore into this database (a postgresql:// URL; it must exist) instead of the "
            "project's database.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The Django database alias to restore into when no --target-url "
            "(default: 'default').",
        )
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
            help="Parallel pg_restore jobs (default 1). More than 1 is faster on big databases "
            "but not one transaction: a failure can leave a partial restore. Only into an "
            "empty target.",
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
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["format"] == "json"
        with command_errors():  # until this command is a ProjectCommand
            refuse_in_production("restore a backup", options["allow_production"])
        if options["jobs"] < 1:
            raise CommandError("--jobs must be 1 or more", returncode=EXIT_ERROR)
        if not options["file"].is_file():
            raise CommandError(f"{options['file']}: no such file", returncode=EXIT_ERROR)
        target = self.target(options)
        try:
            with progress_display(self, not as_json, "pg_restore") as progress:
                result = backup.restore_backup(
                    options["file"],
                    target,
                    force=options["force"],
                    jobs=options["jobs"],
                    no_owner=options["no_owner"],
                    no_privileges=options["no_privileges"],
                    progress=progress,
                    before_drop=lambda contents: self.announce_drops(target, contents, as_json),
                )
        except backup.BackupCorrupt as error:
            if as_json:
                self.stdout.write(
                    json.dumps(
                        {
                            "action": "restore",
                            "ok": False,
                            "restored": False,
                            "file": str(error.path),
                            "target": redact_url(target.display()),
                            "verification": {"ok": False, "checks": [], "problems": error.problems},
                        },
                        indent=2,
                    )
                )
            raise CommandError(
                f"refusing to restore: {error}", returncode=EXIT_VERIFICATION_FAILED
            ) from None
        except (backup.BackupError, PgToolError) as error:
            raise CommandError(str(error), returncode=EXIT_ERROR) from None
        self.report(result, as_json, options["verbosity"])
        if not result.ok:
            raise CommandError(
                "restored, but the result does not match the manifest: "
                + "; ".join(result.verification.problems),
                returncode=EXIT_VERIFICATION_FAILED,
            )

    def target(self, options: dict[str, Any]) -> ConnInfo:
        url = options["target_url"]
        if url:
            scheme = urlsplit(url).scheme
            if scheme not in POSTGRES_SCHEMES:
                raise CommandError(
                    f"--target-url must be a postgresql:// URL, not {scheme or 'a bare path'}:// "
                    f"({redact_url(url)})",
                    returncode=EXIT_ERROR,
                )
            try:
                return ConnInfo.from_url(url)
            except AmericanoError as error:
                raise CommandError(f"{error} ({redact_url(url)})", returncode=EXIT_ERROR) from None
        try:
            connection = connections[options["database"]]
        except KeyError:
            raise CommandError(
                f"no database alias {options['database']!r}", returncode=EXIT_ERROR
            ) from None
        if getattr(connection, "embedded_pgdata", None):
            # The embedded server creates its database on first use, as for every command.
            try:
                connection.ensure_connection()
            except DatabaseError as error:
                raise CommandError(f"database: {error}", returncode=EXIT_ERROR) from None
        # This process must not hold a session on the database it replaces.
        connection.close()
        return ConnInfo.from_django(connection)

    def announce_drops(
        self, target: ConnInfo, contents: backup.TargetContents, as_json: bool
    ) -> None:
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
            f"{redact_url(target.display())} ({what}) in the restore's transaction"
        )
        (self.stderr if as_json else self.stdout).write(message)

    def report(self, result: backup.RestoreResult, as_json: bool, verbosity: int) -> None:
        state = result.migrations
        if as_json:
            data = {
                "action": "restore",
                "ok": result.ok,
                "restored": True,
                "file": str(result.path),
                "target": redact_url(result.target),
                "atomic": result.atomic,
                "dropped": result.dropped.to_dict() if result.dropped else None,
                "tables": result.tables,
                "rows": result.rows,
                "verification": result.verification.to_dict(),
                "migrations": state.to_dict(),
                "pg_restore": tool_dict(result.pg_restore),
                "seconds": {key: round(value, 3) for key, value in result.seconds.items()},
            }
            self.stdout.write(json.dumps(data, indent=2))
            return
        if verbosity == 0:
            return
        seconds = result.seconds
        lines = [
            f"Restored {result.path} into {redact_url(result.target)}"
            + ("" if result.atomic else " (parallel: not one transaction)"),
            f"  content       {result.tables} tables, {result.rows} rows",
            f"  pg_restore    {result.pg_restore.describe()}",
        ]
        if result.ok:
            lines.append(f"  verified      {'; '.join(result.verification.checks)}")
        else:
            lines.append(f"  MISMATCH      {'; '.join(result.verification.problems)}")
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
            f"restore {seconds['restore']:.1f} s, checks {seconds['check']:.1f} s)"
        )
        for line in lines:
            self.stdout.write(line)
