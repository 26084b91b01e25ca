"""``manage.py``'s entry point: one-line errors and exit code 2 instead of tracebacks.

Commands explain their own errors (``americano.management.base``); this catches
what happens before a command runs: bad settings (``AMERICANO_ENV``,
``DATABASE_URL``), and errors of Django's own commands.
"""

import os
import sys

EXIT_INTERRUPTED = 130


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "americano.settings")
    from django.core.management import execute_from_command_line
    from django.core.management.base import CommandError

    from americano.core.reports import printable
    from americano.management.errors import EXIT_ERROR, explain

    try:
        execute_from_command_line(argv)
    except CommandError as error:  # raised before a command could handle it
        sys.stderr.write(f"error: {printable(error, one_line=True)}\n")
        sys.exit(error.returncode or EXIT_ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:
        explained = explain(error)
        if explained is None:
            raise
        _, message, code = explained
        sys.stderr.write(f"error: {printable(message, one_line=True)}\n")
        sys.exit(code)
