"""Migrations ported from other linters' test suites, each with the verdict it deserves.

Like ``tests.lint_cases`` (whose machinery this app shares: ``case_loader``,
``expected_severities``), never installed and never migrated by the test
settings. ``0001_initial`` creates the tables every case starts from; each case
depends on it alone, so no case sees another's changes. Each case says where it
comes from (the peer's repository and file, or README section), what the peers
say, and ``VERDICT``: ``unsafe`` (it must fail the lint when read from the files
alone) or ``safe`` (it must pass, advice allowed); ``PEERS`` names the peers
that have the case, empty for a case of our own.

Some operations read the database while their SQL is written (dropping a
foreign key looks its name up), as ``sqlmigrate`` does: ``base_tables`` creates
the tables of ``0001_initial`` for real while the cases are linted.
"""

import contextlib
from collections.abc import Iterator

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.state import ProjectState

from tests.lint_cases import case_modules, label_of

PACKAGE = __name__
LABEL = label_of(PACKAGE)
#: The peers whose test suites the cases come from.
PEERS = (
    "django-migration-linter",
    "django-pg-zero-downtime-migrations",
    "sentry",
    "django-safe-migrations",
    "strong_migrations",
)


def cases() -> dict[str, object]:
    """``{migration name: module}`` of the cases (the base migration left out)."""
    return {
        name: module for name, module in case_modules(PACKAGE).items() if name != "0001_initial"
    }


@contextlib.contextmanager
def base_tables(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """The tables and enum type of ``0001_initial``, created for real, dropped afterwards."""
    base = case_modules(PACKAGE)["0001_initial"].Migration("0001_initial", LABEL)
    with connection.schema_editor() as editor:
        state = base.apply(ProjectState(), editor)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            base.unapply(state, editor)
