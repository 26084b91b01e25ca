"""``manage.py migrate_deploy``: the deployment hook (see docs/deploy.md)."""

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from americano.core.environment import current_environment
from americano.core.errors import InputError
from americano.core.files import write_whole
from americano.core.reports import printable
from americano.management.base import ProjectCommand
from americano.management.errors import explain
from americano.ops import deploy
from americano.ops.databases import connection_for_alias, connection_for_url
from americano.ops.prisma import export_schema
from americano.ops.prisma.report import write_schema

LOCK_EXIT = 3


def writable_folder(path: str, option: str) -> None:
    """Refuse now a file that could not be written at the end, after the migrations."""
    folder = Path(path).parent
    if (
        not path.strip()
        or Path(path).is_dir()
        or not (folder.is_dir() and os.access(folder, os.W_OK))
    ):
        raise InputError(f"{option} {path}: cannot write a file there")


def _size(size: int) -> str:
    return f"{size / 1024**2:.1f} MiB" if size >= 1024**2 else f"{size / 1024:.1f} KiB"


def lint_lines(lint: dict | None) -> list[str]:
    if lint is None:
        return []
    verdict = "clean" if lint["clean"] else "FAILS"
    lines = [
        f"  lint          {verdict}: {lint['findings']} findings ({lint['waived']} waived) "
        f"in {lint['migrations']} migrations"
    ]
    for finding in lint["failing"]:
        where = f"{finding['app']}.{finding['migration']}"
        lines.append(f"    {finding['rule']} in {where}: {finding['message']}")
    return lines


def failure_lines(failures: list[dict]) -> list[str]:
    return [f"    line {f['line']}: {f['statement']}: {f['error']}" for f in failures]


def backup_lines(backup: dict | None) -> list[str]:
    if backup is None:
        return []
    if backup["kind"] == "dump":
        return [
            f"  safety copy   {backup['path']} ({_size(backup['size'])}, "
            f"sha256 {backup['sha256'][:16]}...)"
        ]
    return [
        f"  safety copy   restore point {backup['name']} at LSN {backup['lsn']} "
        f"({backup['time']}, WAL file {backup['wal_file']})"
    ]


def verification_lines(verification: dict | None) -> list[str]:
    if verification is None:
        return []
    status, drift, check = (verification[key] for key in ("status", "drift", "check_sql"))
    lines = [
        f"  verification  {'ok' if verification['ok'] else 'FAILED'}: "
        f"{len(status['pending'])} pending, "
        f"{len(status['unrecorded_checksums'])} checksums unrecorded"
    ]
    if drift is not None:
        count = len(drift["differences"])
        lines.append(f"    drift: {count} differences (shadow on {drift['shadow']})")
        lines += [f"      {difference['line']}" for difference in drift["differences"]]
    if check is not None:
        lines.append(f"    check-sql: {len(check['failures'])} statements do not prepare")
        lines += failure_lines(check["failures"])
    return lines


class Command(ProjectCommand):
    help = """\
The deployment hook: brings the database to the code's migrations, safely, and
is safe to run from several places at once (a release phase, a Kubernetes Job
or init container, a CI deploy step).

1. Lock: a PostgreSQL session advisory lock per database, on a connection of its
   own. Another deployer waits up to --lock-wait seconds, then exits 3 naming
   the holder. Behind a transaction-pooling PgBouncer (which keeps no session)
   it refuses: pass --direct-url.
2. Preflight: PostgreSQL 14+ with pgvector; no migration modified or missing;
   the pending ones pass migrate_lint (waivers in the migration files). Nothing
   pending: reports "nothing to do" and exits 0 at once.
3. Safety copy, before the first migration: --backup dump (a verified pg_dump;
   the default in production), restore-point (a WAL restore point; needs WAL
   archiving) or none (the default outside production; production takes it only
   when given).
4. Apply each pending migration in order with lock_timeout and
   statement_timeout; a lock timeout is tried again with a back-off (when the
   migration was rolled back whole, or had changed nothing). A failure stops at
   the last good migration and the report names it.
5. Verify: nothing pending, checksums recorded, no drift (--verify-drift, the
   default in production), and the statements of --check-sql prepare.

--check-sql FILE: SQL statements the applications send, each ending with ';' at
the end of a line ('--' comment lines skipped). Before anything is applied they
must prepare on a shadow database built from the whole history, pending
migrations included: a migration that would break one is refused.

--plan shows what would run, with its SQL and the lint findings; nothing is
applied and no lock is taken.

SIGTERM or Ctrl-C cancels the statement under way and rolls back its migration
(a non-atomic one keeps its statements before that one), and releases the
lock; the report names the migration."""
    exit_codes = {
        0: "done, or nothing to do (or, with --plan, the deploy would go ahead)",
        1: "a migration failed (the database stays at the last good one), or verification failed",
        2: "refused by the preflight (nothing applied) or the safety copy, bad arguments, "
        "server unreachable or unsuitable, interrupted",
        LOCK_EXIT: "the lock was not acquired: another deployment held it past --lock-wait",
    }
    json_doc = "docs/deploy.md"
    error_codes = {deploy.DeployLocked: LOCK_EXIT}

    def add_options(self, parser):
        self.add_database_option(parser, "migrate")
        parser.add_argument(
            "--direct-url",
            metavar="URL",
            help="Take the lock and migrate through this URL instead of the alias's: one that "
            "bypasses a transaction-pooling PgBouncer (e.g. to the primary itself).",
        )
        parser.add_argument(
            "--lock-wait",
            type=float,
            default=deploy.DEFAULT_LOCK_WAIT,
            metavar="SECONDS",
            help=f"How long to wait for another deployment to finish (default "
            f"{deploy.DEFAULT_LOCK_WAIT:g}, at most {deploy.MAX_LOCK_WAIT:g}).",
        )
        parser.add_argument(
            "--backup",
            choices=deploy.BACKUP_KINDS,
            help="The safety copy made before the first pending migration (default: dump in "
            "production, none elsewhere).",
        )
        parser.add_argument(
            "--backup-dir",
            default=str(settings.AMERICANO_BACKUP_DIR),
            help="Where --backup dump writes (default: AMERICANO_BACKUP_DIR, or backups/).",
        )
        parser.add_argument(
            "--lock-timeout",
            metavar="DURATION",
            help="lock_timeout of the migrating session, e.g. 5s or 200ms (default: "
            f"AMERICANO_LOCK_TIMEOUT, {settings.AMERICANO_LOCK_TIMEOUT}).",
        )
        parser.add_argument(
            "--statement-timeout",
            metavar="DURATION",
            help="statement_timeout of the migrating session, e.g. 15min (default: "
            f"AMERICANO_STATEMENT_TIMEOUT, {settings.AMERICANO_STATEMENT_TIMEOUT}).",
        )
        parser.add_argument(
            "--retries",
            type=int,
            metavar="N",
            help=f"Tries of a migration that meets a lock timeout, in all (default "
            f"{settings.AMERICANO_DEPLOY_RETRIES}, at most {deploy.MAX_TRIES}).",
        )
        parser.add_argument(
            "--retry-backoff",
            type=float,
            metavar="SECONDS",
            help=f"Wait before the second try, doubled before each next one (default "
            f"{settings.AMERICANO_DEPLOY_BACKOFF:g}).",
        )
        drift = parser.add_mutually_exclusive_group()
        drift.add_argument(
            "--verify-drift",
            action="store_true",
            default=None,
            help="After migrating, compare the database with a shadow built from its history "
            "(the default in production).",
        )
        drift.add_argument("--no-verify-drift", dest="verify_drift", action="store_false")
        parser.add_argument(
            "--shadow-url",
            metavar="URL",
            help="The server for shadow databases (drift, --check-sql): same PostgreSQL major "
            "version as the database (default: AMERICANO_SHADOW_URL, else the embedded server).",
        )
        parser.add_argument("--check-sql", metavar="FILE", help="See above.")
        parser.add_argument(
            "--plan", action="store_true", help="Show what would run; apply nothing."
        )
        parser.add_argument(
            "--report",
            metavar="FILE",
            help="Also write the JSON report to FILE (replaced whole), whatever the outcome.",
        )
        parser.add_argument(
            "--prisma-schema",
            metavar="FILE",
            help="After a deploy that succeeds, write the Prisma clients' schema.prisma of "
            "the models just migrated to FILE (export_prisma_schema; rewritten only when it "
            "changes): a deploy artifact for the web app and the ML service.",
        )

    def run(self, **options: Any) -> deploy.DeployReport:
        self.options, self.deployment = options, None
        for option in ("report", "prisma_schema"):
            if options[option] is not None:
                writable_folder(options[option], f"--{option.replace('_', '-')}")
        environment = current_environment()
        chosen = deploy.DeployOptions(
            timeouts=deploy.Timeouts.chosen(options["lock_timeout"], options["statement_timeout"]),
            retries=deploy.Retries.chosen(options["retries"], options["retry_backoff"]),
            backup=options["backup"] or deploy.default_backup(environment),
            backup_dir=Path(options["backup_dir"]),
            verify_drift=(
                environment == "production"
                if options["verify_drift"] is None
                else options["verify_drift"]
            ),
            lock_wait_s=options["lock_wait"],
            shadow_url=options["shadow_url"],
            check_sql=Path(options["check_sql"]) if options["check_sql"] else None,
            plan=options["plan"],
        )
        alias = connection_for_alias(options["database"])
        if options["direct_url"] is None:
            connection = alias
        else:
            connection = connection_for_url(options["direct_url"], alias.alias, "--direct-url")
        try:
            self.deployment = deploy.Deployment(connection, chosen)
            report = self.deployment.run()
        finally:
            if connection is not alias:
                connection.close()
        if options["prisma_schema"] is not None and report.ok and not chosen.plan:
            report.prisma_schema = self.write_prisma_schema(Path(options["prisma_schema"]))
        return report

    @staticmethod
    def write_prisma_schema(path: Path) -> dict[str, Any]:
        """The deploy artifact: the models' schema.prisma, written when it changed."""
        written = write_schema(export_schema(connection_for_alias()), path)
        return {"path": str(path), "changed": written.changed}

    def emit(self, report: deploy.DeployReport, options: dict[str, Any]) -> None:
        if options.get("report"):
            write_whole(options["report"], json.dumps(report.as_dict(), indent=2) + "\n")
        super().emit(report, options)

    @contextlib.contextmanager
    def errors_as_json(self) -> Iterator[None]:
        """An error that ends a deployment once it has begun still gives its whole report: on
        stdout (text or JSON) and in --report FILE, with the error in it."""
        try:
            yield
        except BaseException as error:
            explained = explain(error, self.error_codes)
            deployment = getattr(self, "deployment", None)
            if deployment is None or explained is None:
                with super().errors_as_json():
                    raise
            kind, message, _ = explained
            deployment.report.error = {"kind": kind, "message": message}
            self.emit(deployment.report, self.options)
            raise

    def summary(self, report: deploy.DeployReport) -> str:
        if report.failed:
            return f"{report.failed.as_dict()['migration']} failed: {report.failed.error}"
        if report.verification and not report.verification.ok:
            return "verification failed: see the report"
        return f"{report.outcome}: {len(report.applied)} migrations applied"

    def render(self, report: deploy.DeployReport) -> str:
        data = report.as_dict()
        lines = []
        if report.lock_wait_s is not None:
            lines.append(f"  lock          held after {report.lock_wait_s:.1f} s")
        if report.waited_for:
            lines.append(f"                waited for {report.waited_for.describe()}")
        if data["pending"]:
            lines.append(f"  pending       {', '.join(data['pending'])}")
        lines += lint_lines(report.lint)
        if report.check_sql_shadow is not None:
            shadow = report.check_sql_shadow
            lines.append(
                f"  check-sql     on a shadow with the pending migrations ({shadow['server']}): "
                f"{len(shadow['failures'])} statements do not prepare"
            )
            lines += failure_lines(shadow["failures"])
        lines += backup_lines(report.backup)
        for item in report.plan or []:
            kind = "atomic" if item.atomic else "not atomic"
            lines.append(f"  would apply   {item.key[0]}.{item.key[1]} ({kind}):")
            lines += [f"      {line}" for sql in item.sql for line in sql.splitlines()]
        for run in data["migrations"]:
            retries = f" after {run['retries']} lock timeouts" if run["retries"] else ""
            lines.append(
                f"  applied       {run['app']}.{run['name']} in {run['seconds']:.2f} s{retries}"
            )
        if data["failed"]:
            failed = data["failed"]
            lines.append(
                f"  FAILED        {failed['migration']} (after {failed['retries']} retries): "
                f"{failed['error']}"
            )
            if failed["partial"]:
                lines.append("                not atomic: its statements before that one stay")
        lines += verification_lines(data["verification"])
        if report.seconds is not None:
            lines.append(f"  took          {report.seconds:.1f} s")
        header = f"migrate_deploy on {report.database} ({report.environment}): {report.outcome}"
        header = printable(header) if report.ok else self.style.ERROR(printable(header))
        return "\n".join([header, *(printable(line) for line in lines)]) + "\n"
