"""manage.py as operators meet it: one-line errors, exit code 2, no secrets."""

import socket
import threading

import pytest

from tests.commandline import SECRET, assert_one_line_error, manage
from tests.dbutil import libpq_target

pytestmark = pytest.mark.slow  # each test runs manage.py in a child process


def test_unreachable_server():
    result = manage("migrate", DATABASE_URL=f"postgresql://app:{SECRET}@127.0.0.1:9/americano")
    assert_one_line_error(result)
    assert "database" in result.stderr


def test_not_a_postgresql_url():
    result = manage("migrate", DATABASE_URL=f"mysql://app:{SECRET}@db.example/americano")
    assert_one_line_error(result)
    assert "postgresql://" in result.stderr


@pytest.fixture
def not_postgres():
    """A TCP server that answers like a web server, not PostgreSQL."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(30)

    def answer():
        for _ in range(4):
            try:
                client, _ = server.accept()
            except OSError:
                return
            client.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            client.close()

    threading.Thread(target=answer, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def test_server_that_is_not_postgresql(not_postgres):
    url = f"postgresql://app:{SECRET}@127.0.0.1:{not_postgres}/americano?connect_timeout=5"
    assert_one_line_error(manage("migrate", DATABASE_URL=url))


def test_unknown_environment():
    assert_one_line_error(manage("check", AMERICANO_ENV="prod"))


@pytest.mark.django_db
def test_unix_socket_url_reaches_the_database():
    url, env = libpq_target()
    result = manage("showmigrations", "learning", env=env, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "[X] 0001_initial" in result.stdout


@pytest.mark.django_db
def test_production_refuses_to_unapply_migrations():
    url, env = libpq_target()
    result = manage(
        "migrate",
        "learning",
        "zero",
        env=env,
        DATABASE_URL=url,
        AMERICANO_ENV="production",
        DJANGO_SECRET_KEY="test-only",
    )
    assert_one_line_error(result)
    assert "--allow-production" in result.stderr
    applied = manage("showmigrations", "learning", env=env, DATABASE_URL=url)
    assert "[X] 0001_initial" in applied.stdout


def test_server_without_pgvector(plain_postgres):
    result = manage("migrate", DATABASE_URL=plain_postgres)
    assert_one_line_error(result)
    assert "pgvector" in result.stderr


@pytest.mark.django_db
def test_production_refuses_a_named_target_that_unapplies(monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setenv("AMERICANO_ENV", "production")
    with pytest.raises(CommandError, match="--allow-production") as refusal:
        call_command("migrate", "backfill_recipes", "0001", verbosity=0)
    assert refusal.value.returncode == 2
    # Forwards to where it already is: nothing is unapplied, nothing refused.
    call_command("migrate", "backfill_recipes", "0009", verbosity=0)


@pytest.mark.django_db
def test_production_refuses_to_flush(monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from learning.factories import UserFactory
    from learning.models import User

    UserFactory()
    monkeypatch.setenv("AMERICANO_ENV", "production")
    with pytest.raises(CommandError, match="--allow-production") as refusal:
        call_command("flush", interactive=False, verbosity=0)
    assert refusal.value.returncode == 2
    assert User.objects.exists()


def test_print_settings_masks_passwords_and_keys():
    url = f"postgresql://app:{SECRET}@db.example/americano"
    for format_ in ("simple", "json"):
        result = manage("print_settings", "--format", format_, DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        assert SECRET not in result.stdout
        assert "development-only-key" not in result.stdout
        assert "***" in result.stdout


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://app:{SECRET}@db.example:abc/americano",
        f"postgresql://app:{SECRET}@db.example:99999/americano",
        f"postgresql://app:{SECRET}@[::1/americano",
        "",
    ],
    ids=["port abc", "port 99999", "unclosed bracket", "empty"],
)
def test_a_malformed_or_empty_database_url_is_one_line(url):
    result = manage("migrate", DATABASE_URL=url)
    assert_one_line_error(result)
    assert "DATABASE_URL" in result.stderr


def test_migrate_argument_errors_exit_2_in_one_line():
    assert_one_line_error(manage("migrate", "--no-such-option"))
    assert_one_line_error(manage("migrate", "nosuchapp"))


def test_terminal_escapes_in_error_lines_are_shown_not_obeyed():
    result = manage("migrate_resolve", "--applied", "learning", "\x1b[2Jgone")
    assert_one_line_error(result)
    assert "\x1b" not in result.stderr
    assert "\\x1b[2Jgone" in result.stderr
