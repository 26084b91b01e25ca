"""Django admin for the Americano schema: the shared ModelAdmin and the database pages.

The apps' ``admin.py`` modules register their tables with ``AmericanoModelAdmin``
(or ``ReadOnlyModelAdmin`` for the tables the application writes); the staff-only
database pages (tables, migrations, backups, backfills) are in
``americano.admin.pages`` and wired in ``americano.urls``. Django's autodiscovery
imports this package as the ``americano`` app's admin module: it registers the
app's own checkpoint table (``americano.admin.checkpoints``).
"""

from americano.admin import checkpoints  # noqa: F401  (registers BackfillRun)
from americano.admin.options import AmericanoModelAdmin, ReadOnlyAdminMixin, ReadOnlyModelAdmin
from americano.admin.paginator import EstimatedCountPaginator

__all__ = [
    "AmericanoModelAdmin",
    "EstimatedCountPaginator",
    "ReadOnlyAdminMixin",
    "ReadOnlyModelAdmin",
]
