"""Running manage.py as an operator does, in a child process, and judging its errors."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A password to put in URLs: it must never show in any output.
SECRET = "s3cr3t-pa55"


def command_env(env: dict | None = None, **overrides: str) -> dict:
    """The environment of a child command: the project's settings, not the tests'."""
    environment = {**(env or os.environ), **overrides}
    environment["DJANGO_SETTINGS_MODULE"] = "americano.settings"
    return environment


def _run(args: list[str], env: dict | None, overrides: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=command_env(env, **overrides),
        capture_output=True,
        text=True,
        timeout=180,
    )


def manage(*args: str, env: dict | None = None, **overrides: str) -> subprocess.CompletedProcess:
    """``python manage.py ARGS`` with ``env`` (default: ours) plus ``overrides``."""
    return _run(["manage.py", *args], env, overrides)


def run_python(
    code: str, *args: str, env: dict | None = None, **overrides: str
) -> subprocess.CompletedProcess:
    """``python -c CODE ARGS`` in the project folder."""
    return _run(["-c", code, *args], env, overrides)


def assert_one_line_error(result: subprocess.CompletedProcess, returncode: int = 2) -> None:
    """The command failed with ``returncode``, one line on stderr, no traceback, no secret."""
    output = result.stdout + result.stderr
    assert result.returncode == returncode, output
    assert "Traceback" not in output
    assert SECRET not in output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
