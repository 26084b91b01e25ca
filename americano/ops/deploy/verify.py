"""After the migrations: is the database what the code says, and do the clients' queries fit?"""

from django.db.backends.base.base import BaseDatabaseWrapper

from americano.db.history import MigrationKey
from americano.ops.deploy.checksql import ClientStatement, unpreparable
from americano.ops.deploy.preflight import key_name
from americano.ops.deploy.report import Verification
from americano.ops.status import PENDING, collect_status


def check_shadow_server(live: BaseDatabaseWrapper, shadow_url: str | None) -> None:
    """Refuse now, before anything is applied, a drift check that could not run afterwards
    (no shadow server of the live server's major version)."""
    from americano.ops.shadow import shadow_server  # only when drift is verified

    shadow_server(live, shadow_url).close()


def verify(
    connection: BaseDatabaseWrapper,
    applied: list[MigrationKey],
    drift: bool,
    shadow_url: str | None,
    statements: list[ClientStatement] | None,
) -> Verification:
    """Nothing pending, the checksums of ``applied`` recorded, no drift (if ``drift``), and
    every client statement prepares on the migrated database."""
    status = collect_status(connection)
    by_key = {(m.app, m.name): m for m in status.migrations}
    result = Verification(
        pending=[f"{m.app}.{m.name}" for m in status.migrations if m.state == PENDING],
        unrecorded=[
            key_name(key)
            for key in applied
            if key not in by_key or by_key[key].checksum_state != "match"
        ],
    )
    if drift:
        from americano.ops.drift import detect_drift  # slow to import: only when asked

        result.drift = detect_drift(connection, shadow_url).as_dict()
    if statements:
        result.check_sql_failures = unpreparable(connection, statements)
    return result
