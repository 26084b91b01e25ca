"""What the tests of migrate_status, drift and migrate_resolve share."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.commandline import manage

# What AmericanoConfig.ready does once it imports americano.ops.signals.
RECORDING_MIGRATE = (
    "import sys, django; django.setup(); import americano.ops.signals; "
    "from django.core.management import call_command; "
    "call_command('migrate', *sys.argv[1:], verbosity=0)"
)


def status_json(url: str, env: dict, *args: str) -> tuple[int, dict]:
    """``manage.py migrate_status --format json ARGS`` on ``url``: its exit code and document."""
    result = manage("migrate_status", "--format", "json", *args, env=env, DATABASE_URL=url)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def in_process_status(clean: bool) -> dict:
    """migrate_status --format json on the test database; exit 1 expected unless clean."""
    out = io.StringIO()
    if clean:
        call_command("migrate_status", format="json", stdout=out)
    else:
        with pytest.raises(CommandError) as exited:
            call_command("migrate_status", format="json", stdout=out)
        assert exited.value.returncode == 1
    return json.loads(out.getvalue())


def by_key(document: dict) -> dict:
    return {(m["app"], m["name"]): m for m in document["migrations"]}
