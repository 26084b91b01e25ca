"""Known-good and known-bad migrations for ``migrate_lint``'s tests.

Never installed in the test settings and never applied: the tests load these
migrations into a migration graph of their own (``case_loader``), or install the
app for one test with ``override_settings`` and only lint it. Each migration
module says which findings it must produce in ``EXPECTED`` (empty for a good
case).
"""

import importlib
import pkgutil

from django.db.migrations.loader import MigrationLoader

LABEL = "lint_cases"


def case_loader() -> MigrationLoader:
    """The project's migrations (read from disk only) plus the cases, in one graph."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    package = importlib.import_module(f"{__name__}.migrations")
    cases = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        cases[(LABEL, info.name)] = module.Migration(info.name, LABEL)
    for key, migration in cases.items():
        loader.disk_migrations[key] = migration
        loader.graph.add_node(key, migration)
    for key, migration in cases.items():
        for parent in migration.dependencies:
            loader.graph.add_dependency(migration, key, parent)
    loader.graph.validate_consistency()
    loader.migrated_apps.add(LABEL)
    return loader


def expected_findings() -> dict[str, set[str]]:
    """``{migration name: rules it must trigger}`` for every case."""
    package = importlib.import_module(f"{__name__}.migrations")
    return {
        info.name: importlib.import_module(f"{package.__name__}.{info.name}").EXPECTED
        for info in pkgutil.iter_modules(package.__path__)
    }
