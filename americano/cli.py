"""``manage.py``'s entry point: one-line errors and exit code 2 instead of tracebacks."""

import os
import sys

EXIT_ERROR = 2


def first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return "; ".join(lines[:2]) if lines else type(error).__name__


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "americano.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.core.management.base import CommandError
    from django.db import DatabaseError, InterfaceError

    try:
        execute_from_command_line(argv)
    except CommandError as error:  # raised before a command could handle it
        sys.stderr.write(f"error: {error}\n")
        sys.exit(error.returncode or EXIT_ERROR)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"error: configuration: {first_line(error)}\n")
        sys.exit(EXIT_ERROR)
    except (DatabaseError, InterfaceError) as error:
        sys.stderr.write(f"error: database: {first_line(error)}\n")
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
