"""Known-good and known-bad migrations for ``migrate_lint``'s tests.

Never installed in the test settings and never applied: the tests load these
migrations into a migration graph of their own (``case_loader``), or install the
app for one test with ``override_settings`` and only lint it. Each migration
module says in ``EXPECTED`` which findings it must produce and how bad each is
when the lint reads the files alone (``{rule: "blocking" | "advice"}``; empty
for a good case).

Two case apps share this machinery: ``tests.lint_cases`` (this package, one chain
of migrations, each building on the one before) and ``tests.lint_peers`` (the
cases ported from other linters' test suites, each building on its
``0001_initial`` alone).
"""

import importlib
import pkgutil
from types import ModuleType

from django.db.migrations.loader import MigrationLoader

LABEL = "lint_cases"


def case_modules(package: str = __name__) -> dict[str, ModuleType]:
    """``{migration name: module}`` of a case package's migrations."""
    migrations = importlib.import_module(f"{package}.migrations")
    return {
        info.name: importlib.import_module(f"{migrations.__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(migrations.__path__), key=lambda i: i.name)
    }


def label_of(package: str) -> str:
    return package.rpartition(".")[2]


def case_loader(*packages: str) -> MigrationLoader:
    """The project's migrations (read from disk only) plus the cases of ``packages``
    (this package when none is named), in one graph."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    cases = {
        (label_of(package), name): module.Migration(name, label_of(package))
        for package in packages or (__name__,)
        for name, module in case_modules(package).items()
    }
    for key, migration in cases.items():
        loader.disk_migrations[key] = migration
        loader.graph.add_node(key, migration)
    for key, migration in cases.items():
        for parent in migration.dependencies:
            loader.graph.add_dependency(migration, key, parent)
    loader.graph.validate_consistency()
    loader.migrated_apps.update(label_of(package) for package in packages or (__name__,))
    return loader


def expected_severities(package: str = __name__) -> dict[str, dict[str, str]]:
    """``{migration name: {rule: severity}}`` for every case of ``package``."""
    return {name: dict(module.EXPECTED) for name, module in case_modules(package).items()}


def expected_findings(package: str = __name__) -> dict[str, set[str]]:
    """``{migration name: rules it must trigger}`` for every case of ``package``."""
    return {name: set(rules) for name, rules in expected_severities(package).items()}
