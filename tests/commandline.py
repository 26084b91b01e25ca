"""Running manage.py as an operator does, in a child process, and judging its errors."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A password to put in URLs: it must never show in any output.
SECRET = "s3cr3t-pa55"


def command_env(
    env: dict | None = None, settings: str = "americano.settings", **overrides: str
) -> dict:
    """The environment of a child command: the project's settings unless told otherwise
    (``tests.settings`` adds the test-only apps)."""
    environment = {**(env or os.environ), **overrides}
    environment["DJANGO_SETTINGS_MODULE"] = settings
    environment["PYTHONFAULTHANDLER"] = "1"  # a SIGABRT (``finish`` on a hang) dumps each thread
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


def start_manage(
    *args: str, env: dict | None = None, settings: str = "americano.settings", **overrides: str
) -> subprocess.Popen:
    """``python manage.py ARGS`` started in the background, in a process group of its own
    (its pid is the group's), for tests that signal it or race it against another."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=command_env(env, settings, **overrides),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finish(process: subprocess.Popen, timeout: float = 120) -> subprocess.CompletedProcess:
    """Wait for ``process``: its exit code and output. A process still running after
    ``timeout`` is aborted, and the test fails with where each of its threads was."""
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        _, stderr = process.communicate(timeout=30)
        raise AssertionError(f"still running after {timeout} s; its threads:\n{stderr}") from None
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def processes_left(group: int) -> dict[int, list[str]]:
    """``{pid: command line}`` of the living processes of process ``group`` (from /proc,
    zombies aside): what a stopped command left running."""
    left = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            state, _, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
            if int(pgrp) == group and state != "Z":
                argv = (stat.parent / "cmdline").read_bytes().decode().split("\0")[:-1]
                left[int(stat.parent.name)] = argv
    return left


def wait_for(condition: Callable[[], object], timeout: float = 30.0) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def assert_one_line_error(result: subprocess.CompletedProcess, returncode: int = 2) -> None:
    """The command failed with ``returncode``, one line on stderr, no traceback, no secret."""
    output = result.stdout + result.stderr
    assert result.returncode == returncode, output
    assert "Traceback" not in output
    assert SECRET not in output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
