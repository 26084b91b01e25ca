"""``migrate_lint``: what a migration will lock, break or fail on, before production.

Each migration to lint is run the way ``sqlmigrate`` runs it (a schema editor
that collects SQL instead of executing it), one operation at a time, so that
every statement, deferred ones included, is known with the operation that wrote
it and the states around it. The Django-level rules (``rules``) and squawk
(``americano.ops.squawk``) then read the migration; a squawk finding on an
operation that a rule already reports is folded into that finding, and one a
rule knows to be wrong is overruled (listed, with why).

Every finding has a cost (``model.Cost``) and so a severity: ``blocking`` (it
stops reads or writes on an existing table for longer than a moment, or breaks
the running code or the migration) or ``advice``. A rewrite, scan or index build
is blocking on a large table and advice on a small one, by the live sizes of
the connected database (``sizes``); read from the files alone, every table
counts as large.

A finding is waived in the migration file, with a reason::

    class Migration(migrations.Migration):
        lint_waivers = {"index-not-concurrent": "cards holds 40 rows in production"}

Waived findings are still reported, marked waived; they do not fail the lint.
"""

from americano.ops.lint.engine import LintError, collect_sql, lint_migrations, select_migrations
from americano.ops.lint.report import Finding, LintReport, Overruled
from americano.ops.lint.sizes import LargeTable, TableSizes, configured_large_table

__all__ = [
    "Finding",
    "LargeTable",
    "LintError",
    "LintReport",
    "Overruled",
    "TableSizes",
    "collect_sql",
    "configured_large_table",
    "lint_migrations",
    "select_migrations",
]
