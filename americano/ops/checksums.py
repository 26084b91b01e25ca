"""What a migration does, as a checksum that survives reformatting but not edits.

The migrations guide (``database-migrations-guide.md``) never edits an applied
migration. Hashing the file's bytes would call a reformat (ruff, a new import
order, a comment) an edit, so the checksum hashes what the migration does
instead: each operation's class and its deconstructed arguments, serialized the
way ``makemigrations`` writes them, the migration's ``atomic`` flag, and, for
``RunPython``, the syntax tree of the functions it calls (comments, docstrings
and layout left out).
"""

import ast
import hashlib
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator

from django.db.migrations import Migration
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.special import RunPython, SeparateDatabaseAndState
from django.db.migrations.serializer import serializer_factory

#: Prefixes every checksum, so that a future change of recipe is told apart
#: from an edit.
ALGORITHM = "ops1"
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def migration_checksum(migration: Migration) -> str:
    """``ops1:<sha256>`` of what ``migration`` does."""
    digest = hashlib.sha256()
    digest.update(f"atomic={migration.atomic}\n".encode())
    for operation in migration.operations:
        digest.update(_canonical(operation).encode())
        digest.update(b"\n")
    for function in _called_functions(migration.operations):
        digest.update(_code_fingerprint(function).encode())
        digest.update(b"\n")
    return f"{ALGORITHM}:{digest.hexdigest()}"


def _canonical(value: object) -> str:
    """The text ``makemigrations`` would write for ``value``, or a stable stand-in."""
    if isinstance(value, Operation):
        _, args, kwargs = value.deconstruct()
        cls = type(value)
        parts = [_canonical(arg) for arg in args]
        parts += [f"{key}={_canonical(kwargs[key])}" for key in sorted(kwargs)]
        return f"{cls.__module__}.{cls.__qualname__}({', '.join(parts)})"
    if isinstance(value, (list, tuple)):
        return f"[{', '.join(_canonical(item) for item in value)}]"
    try:
        return serializer_factory(value).serialize()[0]
    except ValueError:
        # Lambdas, nested functions and odd objects cannot be written to a
        # migration file, but a hand-written migration may hold them.
        if callable(value) and hasattr(value, "__qualname__"):
            return f"<callable {getattr(value, '__module__', '?')}.{value.__qualname__}>"
        return _ADDRESS.sub("", repr(value))


def _called_functions(operations) -> Iterator[Callable]:
    for operation in operations:
        if isinstance(operation, RunPython):
            yield operation.code
            if operation.reverse_code is not None:
                yield operation.reverse_code
        elif isinstance(operation, SeparateDatabaseAndState):
            yield from _called_functions(operation.database_operations)


def _code_fingerprint(function: Callable) -> str:
    """The syntax trees of ``function`` and of the functions of its module it calls."""
    seen: set[Callable] = set()
    parts: list[str] = []
    pending = [inspect.unwrap(function)]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        parts.append(_source_tree(current))
        pending.extend(_module_functions_called(current))
    return "\n".join(parts)


def _source_tree(function: Callable) -> str:
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return f"<no source {getattr(function, '__module__', '?')}.{function.__qualname__}>"
    try:
        tree = ast.parse(source)
    except SyntaxError:
        # A lambda's source is the line around it, which need not parse alone.
        return " ".join(source.split())
    return ast.dump(_DropDocstrings().visit(tree))


def _module_functions_called(function: Callable) -> list[Callable]:
    """The functions of ``function``'s own module that its code names."""
    code = getattr(function, "__code__", None)
    if code is None:
        return []
    names: set[str] = set()
    stack = [code]
    while stack:
        current = stack.pop()
        names.update(current.co_names)
        stack.extend(const for const in current.co_consts if inspect.iscode(const))
    module = function.__module__
    found = (function.__globals__.get(name) for name in sorted(names))
    return [item for item in found if inspect.isfunction(item) and item.__module__ == module]


class _DropDocstrings(ast.NodeTransformer):
    """Removes docstrings: they document the code, they do not change what it does."""

    def _strip(self, node):
        self.generic_visit(node)
        body = node.body
        first = body[0].value if body and isinstance(body[0], ast.Expr) else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            node.body = body[1:] or [ast.Pass()]
        return node

    visit_Module = visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _strip
