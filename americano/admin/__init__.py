"""Django admin for the Americano schema: the shared ModelAdmin and the database pages.

The apps' ``admin.py`` modules register their tables with ``AmericanoModelAdmin``
(or ``ReadOnlyModelAdmin`` for the tables the application writes); the staff-only
database pages (tables, migrations) are in ``americano.admin.pages`` and wired in
``americano.urls``.
"""

from americano.admin.options import AmericanoModelAdmin, ReadOnlyAdminMixin, ReadOnlyModelAdmin
from americano.admin.paginator import EstimatedCountPaginator

__all__ = [
    "AmericanoModelAdmin",
    "EstimatedCountPaginator",
    "ReadOnlyAdminMixin",
    "ReadOnlyModelAdmin",
]
