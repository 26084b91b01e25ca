"""What a library call found, in one shape for people and for machines.

Every command prints a report: as text (the command renders it) or, with
``--format json``, as ``as_dict()`` with stable keys documented beside the
command. ``ok`` decides the exit code: a report that is not ok exits 1.
"""

import datetime
from typing import Any, Protocol


class Report(Protocol):
    @property
    def ok(self) -> bool:
        """Nothing to report as a problem: the command exits 0."""
        ...

    def as_dict(self) -> dict[str, Any]:
        """The JSON document of ``--format json``: only JSON types, stable keys."""
        ...


def iso(moment: datetime.datetime | None) -> str | None:
    """``moment`` as ISO 8601 for a report (UTC when it knows its zone); None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return moment.isoformat()
