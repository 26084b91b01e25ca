"""What a library call found, in one shape for people and for machines.

Every command prints a report: as text (the command renders it) or, with
``--format json``, as ``as_dict()`` with stable keys documented beside the
command. ``ok`` decides the exit code: a report that is not ok exits 1.
"""

import datetime
import re
from typing import Any, Protocol

#: Characters a terminal acts on (escape sequences, carriage returns, ...), newline and tab
#: aside: text from a database or an argument must not drive the terminal that shows it.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: The same, newline and tab included: for what must stay one line (stderr, a table cell).
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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


def printable(text: object, *, one_line: bool = False) -> str:
    """``text`` fit for a terminal: control characters shown escaped (``\\x1b``), not obeyed;
    with ``one_line``, newlines and tabs too. For text output only; JSON escapes itself."""
    pattern = _CONTROL_OR_BREAK if one_line else _CONTROL
    return pattern.sub(lambda match: repr(match.group())[1:-1], str(text))
