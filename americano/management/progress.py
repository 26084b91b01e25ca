"""The one progress renderer: ``rich`` bars for the library's progress reports.

Shown only on a terminal and only for text output; everywhere else (a pipe, a
file, ``--format json``, ``call_command`` with a buffer) nothing is drawn. The
bars are transient: they disappear when the work ends, leaving the report. What
the command writes meanwhile (``migrate``'s "Applying ..." lines) goes through
rich, above the bars, instead of being drawn over.
"""

import contextlib
from collections.abc import Iterator
from typing import IO

from django.core.management.base import OutputWrapper

from americano.core.progress import Step, reporting_to

#: Longest detail shown beside a bar (the end of it: a table name, a count).
DETAIL_CHARS = 60


def is_terminal(stream: IO[str]) -> bool:
    return bool(getattr(stream, "isatty", None) and stream.isatty())


@contextlib.contextmanager
def progress_bars(output: OutputWrapper, enabled: bool = True) -> Iterator[None]:
    """Draw the progress reported inside the block on a command's ``output``, if it is a
    terminal."""
    stream = output._out
    if not (enabled and is_terminal(stream)):
        with reporting_to(None):
            yield
        return
    from rich.console import Console
    from rich.file_proxy import FileProxy
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[detail]}"),
    )
    console = Console(file=stream)
    with Progress(*columns, console=console, transient=True) as bars:
        tasks: dict[str, int] = {}

        def draw(step: Step) -> None:
            if step.task not in tasks:
                tasks[step.task] = bars.add_task(step.task, total=step.total, detail="")
            total = None if step.total is None else max(step.total, step.done)
            bars.update(
                tasks[step.task],
                completed=step.done,
                total=total,
                detail=step.detail[-DETAIL_CHARS:],
            )

        output._out = FileProxy(console, stream)
        try:
            with reporting_to(draw):
                yield
        finally:
            output._out = stream
