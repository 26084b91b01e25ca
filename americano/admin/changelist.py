"""The changelist of the Americano admin: no work that grows with the table.

Besides the estimating paginator (``americano.admin.paginator``) two things
of Django's changelist read more than the page shown:

* a soft-reference column (an id stored without a foreign key) needs the row it
  names to show a label; those rows are fetched here, one query per column;
* the date hierarchy lists the years (or months, days) that hold rows with a
  ``SELECT DISTINCT`` over every matching row: half a second per million rows.
  When the list is too big to count, it lists instead every period between
  the first and the last value, which two index lookups find. A period may then
  hold no row; clicking it shows an empty list.
"""

import datetime
import functools
from collections.abc import Iterator

from django.contrib.admin.views.main import ChangeList
from django.db.models import Max, Min, QuerySet
from django.http import HttpRequest
from django.utils import timezone


def periods(
    first: datetime.datetime, last: datetime.datetime, kind: str
) -> Iterator[datetime.datetime]:
    """The start of every year, month or day from ``first``'s to ``last``'s, in their time zone."""
    start = first.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind in ("year", "month"):
        start = start.replace(day=1, month=1 if kind == "year" else start.month)
    current = start
    while current <= last:
        yield current
        if kind == "year":
            current = current.replace(year=current.year + 1)
        elif kind == "month":
            year, month = divmod(current.month, 12)
            current = current.replace(year=current.year + year, month=month + 1)
        else:
            current += datetime.timedelta(days=1)


class PeriodRangeQuerySet(QuerySet):
    """A queryset whose ``datetimes()`` spans first to last value instead of scanning every row."""

    def datetimes(self, field_name: str, kind: str, *args, **kwargs) -> list[datetime.datetime]:
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        first, last = (
            timezone.localtime(v) if timezone.is_aware(v) else v
            for v in (bounds["first"], bounds["last"])
        )
        return list(periods(first, last, kind))


@functools.cache
def period_range_class(queryset_class: type[QuerySet]) -> type[QuerySet]:
    """``queryset_class`` with ``PeriodRangeQuerySet``'s ``datetimes()``."""
    if issubclass(queryset_class, PeriodRangeQuerySet):
        return queryset_class
    return type(f"PeriodRange{queryset_class.__name__}", (PeriodRangeQuerySet, queryset_class), {})


class AmericanoChangeList(ChangeList):
    """Django's changelist with the two changes the module describes."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.model_admin.resolve_soft_references(self.result_list)
        if self.date_hierarchy and getattr(self.paginator, "estimated", False):
            queryset = self.queryset._chain()
            queryset.__class__ = period_range_class(type(queryset))
            self.queryset = queryset
