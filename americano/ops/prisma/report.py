"""The exported schema against a file: unchanged, or the unified diff that would change it.

``--check`` in the web app's CI fails on a stale ``schema.prisma`` with this diff;
``--output`` rewrites the file only when it differs, so an unchanged file keeps
its modification time and a build tool sees nothing to do.
"""

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from americano.core.errors import InputError
from americano.core.files import write_whole
from americano.ops.prisma import PrismaSchema

#: What the command does with the export: print it, write it to a file, check a file.
MODES = ("print", "write", "check")


class SchemaFileError(InputError):
    """The file to check or write cannot be read: a folder, or no permission."""


@dataclass(frozen=True)
class ExportReport:
    """An export and, for ``write`` and ``check``, how the file at ``path`` compares."""

    mode: str
    path: str | None
    models: int
    enums: int
    #: Whether the file is missing or differs from the export (None when printing).
    changed: bool | None
    missing: bool
    #: The unified diff from the file to the export ("" when equal; None when printing).
    diff: str | None
    #: The exported text (only when printing).
    schema: str | None

    @property
    def ok(self) -> bool:
        """A check that finds the file stale is not ok; printing and writing are."""
        return not (self.mode == "check" and self.changed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "mode": self.mode,
            "path": self.path,
            "models": self.models,
            "enums": self.enums,
            "changed": self.changed,
            "missing": self.missing,
            "diff": self.diff,
            "schema": self.schema,
        }


def current_text(path: Path) -> str | None:
    """The text of the file at ``path``; None if there is none. Bytes that are not UTF-8
    are replaced: such a file differs from the export, and the diff shows where."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SchemaFileError(f"cannot open {path}: {error.strerror or error}") from None


def _lines(text: str) -> list[str]:
    """``text`` as the lines of a diff, a last line without its newline marked as diff does."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def compare(schema: PrismaSchema, mode: str, path: Path | None = None) -> ExportReport:
    """The report of ``mode`` (one of ``MODES``): for ``write`` and ``check``, the file at
    ``path`` compared with ``schema``."""
    if mode == "print":
        return ExportReport(mode, None, schema.models, schema.enums, None, False, None, schema.text)
    current = current_text(path)
    diff = "".join(
        difflib.unified_diff(
            _lines(current or ""),
            _lines(schema.text),
            fromfile="/dev/null" if current is None else str(path),
            tofile=f"{path} (exported from the models)",
        )
    )
    changed = current != schema.text
    return ExportReport(
        mode, str(path), schema.models, schema.enums, changed, current is None, diff, None
    )


def write_schema(schema: PrismaSchema, path: Path) -> ExportReport:
    """Write ``schema`` to ``path`` when it differs from what is there (a file that did not
    change keeps its time, so a generator watching it does not run again)."""
    report = compare(schema, "write", path)
    if report.changed:
        write_whole(path, schema.text)
    return report
