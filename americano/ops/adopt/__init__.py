"""Taking over the database Prisma built: compare it with the history, then adopt it.

``adopt_prisma(connection)`` reads ``_prisma_migrations`` (``prisma``), builds
the schema apps' whole history in a shadow database and compares the catalogs
(``history``, on the drift machinery), and turns each difference into a finding
with the SQL that mends it where that is safe and mechanical (``fixes``,
``sql``; ``script`` writes them as one file for review). With ``apply=True``
and nothing to report, it adopts the database in one transaction (``apply``).
It never runs the fix SQL, and never changes anything when something differs.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

from americano.ops.adopt.apply import (
    ADOPT_ACTION,
    PRISMA_MIGRATE_LOCK,
    AdoptionRefused,
    ChangedMeanwhile,
    carry_out,
    refuse_if_owned,
)
from americano.ops.adopt.fixes import GROUPS, Finding, plan_findings
from americano.ops.adopt.history import HistoryCatalog, build_history_catalog, compare
from americano.ops.adopt.prisma import PrismaMigration, has_prisma_table, read_prisma_migrations
from americano.ops.adopt.report import ADOPTED, BLOCKED, READY, Adoption, AdoptionReport
from americano.ops.adopt.script import fix_script
from americano.ops.catalog import PRISMA_MIGRATIONS_TABLE
from americano.ops.databases import describe
from americano.ops.drift import standing_in_as_default
from americano.ops.shadow import major_version

__all__ = [
    "ADOPTED",
    "ADOPT_ACTION",
    "BLOCKED",
    "GROUPS",
    "PRISMA_MIGRATE_LOCK",
    "READY",
    "Adoption",
    "AdoptionRefused",
    "AdoptionReport",
    "ChangedMeanwhile",
    "Finding",
    "HistoryCatalog",
    "PrismaMigration",
    "adopt_prisma",
    "build_history_catalog",
    "fix_script",
]


def adopt_prisma(
    connection: BaseDatabaseWrapper,
    *,
    apply: bool = False,
    shadow_url: str | None = None,
    built: HistoryCatalog | None = None,
    schema_apps: Iterable[str] | None = None,
    actor: str | None = None,
    reason: str | None = None,
) -> AdoptionReport:
    """Compare the Prisma-built database of ``connection`` with the schema apps' history and,
    with ``apply`` and no difference, adopt it.

    ``built``: a history catalog built before (``build_history_catalog``), instead of a new
    shadow on the server ``americano.ops.shadow`` chooses (``shadow_url`` first).
    ``schema_apps`` default to ``settings.AMERICANO_SCHEMA_APPS``. Refused
    (``AdoptionRefused``) before anything is compared: a database where Django migrations
    are recorded, or one without ``_prisma_migrations``.
    """
    apps = tuple(schema_apps if schema_apps is not None else settings.AMERICANO_SCHEMA_APPS)
    with standing_in_as_default(connection):
        refuse_if_owned(connection)
        if not has_prisma_table(connection):
            raise AdoptionRefused(
                f"refusing to adopt: the database has no {PRISMA_MIGRATIONS_TABLE} table, so "
                "Prisma Migrate does not manage it (an empty database needs migrate, not "
                "adoption)"
            )
        prisma = read_prisma_migrations(connection)
        built = built or build_history_catalog(connection, apps, shadow_url)
        actual, differences = compare(connection, built)
        report = AdoptionReport(
            describe(connection),
            major_version(connection),
            built.server,
            built.migrations,
            prisma,
            plan_findings(built.catalog, actual, differences),
            apply,
        )
        if apply and report.ready:
            report.adoption = carry_out(connection, built, apps, actor=actor, reason=reason)
    return report
