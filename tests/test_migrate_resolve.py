"""migrate_resolve: the history mended by hand, each change with an audit row."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.status_support import by_key, in_process_status


@pytest.mark.django_db
def test_resolve_applied_rolled_back_and_accepted_checksum_with_audit():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'sessions'")
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied)"
            " VALUES ('learning', '0099_gone', now())"
        )
    assert by_key(in_process_status(clean=False))["sessions", "0001_initial"]["state"] == "pending"

    call_command("migrate_resolve", applied=["sessions", "0001"], actor="ci", stdout=io.StringIO())
    call_command(
        "migrate_resolve",
        rolled_back=["learning", "0099_gone"],
        reason="file deleted in review",
        stdout=io.StringIO(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE americano_migration_checksum SET checksum = 'ops1:0000' WHERE app = 'sessions'"
        )
    sessions = by_key(in_process_status(clean=False))["sessions", "0001_initial"]
    assert sessions["state"] == "modified"
    with pytest.raises(CommandError, match="--reason") as refused:
        call_command("migrate_resolve", accept_checksum=["sessions", "0001_initial"])
    assert refused.value.returncode == 2
    call_command(
        "migrate_resolve",
        accept_checksum=["sessions", "0001_initial"],
        reason="comment fixed",
        actor="alice",
        stdout=io.StringIO(),
    )

    document = in_process_status(clean=True)
    sessions = by_key(document)["sessions", "0001_initial"]
    assert (sessions["state"], sessions["checksum"]["source"]) == ("applied", "accepted")
    assert ("learning", "0099_gone") not in by_key(document)
    audit = [(a["action"], a["app"], a["name"], a["actor"], a["reason"]) for a in document["audit"]]
    assert audit == [
        ("applied", "sessions", "0001_initial", "ci", None),
        ("rolled-back", "learning", "0099_gone", None, "file deleted in review"),
        ("accept-checksum", "sessions", "0001_initial", "alice", "comment fixed"),
    ]
    assert all(entry["os_user"] for entry in document["audit"])
    assert document["audit"][2]["checksum_before"] == "ops1:0000"
    out = io.StringIO()
    call_command("migrate_status", stdout=out)
    assert "accept-checksum sessions.0001_initial by" in out.getvalue()
    assert "(actor alice): comment fixed" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"applied": ["learning", "0999"]}, "no migration learning.0999"),
        ({"applied": ["learning", "0001"]}, "already applied"),
        ({"rolled_back": ["contenttypes", "0001"]}, "applied migrations depend on"),
        ({"rolled_back": ["learning", "0099_never"]}, "no migration learning.0099_never"),
    ],
)
def test_resolve_refuses_what_would_corrupt_the_history(options, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("migrate_resolve", **options)
    assert refused.value.returncode == 2
