"""The safety copy, made when migrations are pending and before the first is applied.

* ``dump``: a verified ``pg_dump -Fc`` through the backup library; the report keeps
  its path, size and sha256, and ``manage.py restore`` brings it back.
* ``restore-point``: for a database too large to dump before every deploy, a named
  point in the WAL (``pg_create_restore_point``), which pgBackRest, WAL-G or a
  managed service's point-in-time recovery can recover to (docs/deploy.md). Only
  useful when WAL is archived: refused when ``archive_mode`` is off.
* ``none``: nothing (the default outside production; production takes it only
  when asked for explicitly).
"""

import datetime as dt
from pathlib import Path

import psycopg
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.core.errors import SetupError, one_line
from americano.core.reports import iso
from americano.ops.databases import describe
from americano.ops.deploy.preflight import DeployRefused

#: The label of the safety copy's file name.
LABEL = "pre-deploy"


class SafetyCopyFailed(SetupError):
    """The safety copy could not be made or did not verify: nothing was applied."""


def safety_copy(connection: BaseDatabaseWrapper, kind: str, directory: Path) -> dict | None:
    """Make the safety copy ``kind`` of ``connection``'s database; what the report keeps."""
    if kind == "dump":
        return _dump(connection, directory)
    if kind == "restore-point":
        return restore_point(connection)
    return None


def _dump(connection: BaseDatabaseWrapper, directory: Path) -> dict:
    from americano.ops.backup import create_backup  # only when a dump is asked for

    result = create_backup(connection, directory, LABEL)
    if not result.ok:
        problems = "; ".join(result.verification.problems)
        raise SafetyCopyFailed(
            f"the safety copy failed verification ({problems}); nothing was applied "
            f"(the files are left as {result.path}.partial)"
        )
    made = result.as_dict()
    return {
        "kind": "dump",
        "path": made["file"],
        "manifest": made["manifest"],
        "size": made["size"],
        "sha256": made["sha256"],
        "seconds": made["seconds"]["total"],
    }


def check_possible(connection: BaseDatabaseWrapper, kind: str) -> None:
    """Refuse now, before anything else is done, a safety copy that cannot be made: a restore
    point without archived WAL."""
    if kind != "restore-point":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('archive_mode'), current_setting('wal_level')")
        archive_mode, wal_level = cursor.fetchone()
    if archive_mode == "off" or wal_level == "minimal":
        raise DeployRefused(
            f"--backup restore-point needs archived WAL, and {describe(connection)} has "
            f"archive_mode={archive_mode}, wal_level={wal_level}: no recovery could reach "
            "the point; use --backup dump, or turn WAL archiving on"
        )


def restore_point(connection: BaseDatabaseWrapper) -> dict:
    """Create a named restore point in the WAL (``check_possible`` first)."""
    check_possible(connection, "restore-point")
    with connection.cursor() as cursor:
        name = f"americano-deploy-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}"
        try:
            cursor.execute(
                "SELECT lsn::text, now(), pg_walfile_name(lsn)"
                " FROM pg_create_restore_point(%s) AS lsn",
                [name],
            )
        except DatabaseError as error:
            cause = error.__cause__
            if isinstance(cause, psycopg.errors.InsufficientPrivilege):
                raise SafetyCopyFailed(
                    f"cannot create a restore point: {one_line(error)} (it needs a superuser, or "
                    "EXECUTE on pg_create_restore_point); nothing was applied"
                ) from None
            raise
        lsn, created, wal_file = cursor.fetchone()
    return {
        "kind": "restore-point",
        "name": name,
        "lsn": lsn,
        "time": iso(created),
        "wal_file": wal_file,
    }
