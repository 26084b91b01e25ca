"""Writing a file whole or not at all."""

import contextlib
import os
import tempfile
from pathlib import Path

from americano.core.errors import InputError


def write_whole(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a dashboard, a CI job or a client
    generator never reads half a file (a temporary file beside it, then a rename)."""
    target = Path(path)
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except OSError as error:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
