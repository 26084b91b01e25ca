"""A paginator that never counts a big table in full.

Django's changelist asks its paginator for ``count`` on every page view. On a
table of millions of rows ``SELECT COUNT(*)`` reads the whole table, so this
paginator counts exactly only up to ``exact_limit`` rows (a ``LIMIT``-bounded
count) and past that uses PostgreSQL's own estimate: the table statistics for
an unfiltered list, the planner's row estimate for a filtered one.
"""

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

#: Up to this many rows a list is counted exactly; past it, estimated.
EXACT_COUNT_LIMIT = 10_000

#: The planner's own scaling of ``reltuples`` to the table's current size.
TABLE_ESTIMATE_SQL = """
SELECT CASE
    WHEN c.reltuples < 0 OR c.relpages = 0 THEN NULL
    ELSE (c.reltuples / c.relpages)
        * (pg_relation_size(c.oid) / current_setting('block_size')::integer)
END
FROM pg_class c
WHERE c.oid = to_regclass(%s)
"""


def table_row_estimate(queryset: QuerySet) -> int | None:
    """The estimated rows of the queryset's table, or None if it was never analysed."""
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        cursor.execute(
            TABLE_ESTIMATE_SQL, [connection.ops.quote_name(queryset.model._meta.db_table)]
        )
        row = cursor.fetchone()
    return None if row is None or row[0] is None else int(row[0])


def planner_row_estimate(queryset: QuerySet) -> int:
    """The rows PostgreSQL's planner expects the queryset to return (EXPLAIN, not run)."""
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to ``exact_limit`` rows and estimates beyond; see the module."""

    exact_limit = EXACT_COUNT_LIMIT

    #: True once ``count`` is an estimate rather than an exact number.
    estimated = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return len(queryset)
        if self._is_whole_table(queryset):
            estimate = table_row_estimate(queryset)
            if estimate is not None and estimate > self.exact_limit:
                self.estimated = True
                return estimate
        counted = queryset.order_by()[: self.exact_limit + 1].count()
        if counted <= self.exact_limit:
            return counted
        self.estimated = True
        return max(planner_row_estimate(queryset), counted)

    @staticmethod
    def _is_whole_table(queryset: QuerySet) -> bool:
        query = queryset.query
        return not (query.where or query.distinct or query.combinator or query.is_sliced)
