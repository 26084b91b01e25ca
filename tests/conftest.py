"""Fixtures shared by the whole suite.

Every test talks to real PostgreSQL: the embedded server unless DATABASE_URL
is set. pytest-django builds the test database with ``migrate``.
"""

import uuid

import pytest
from django.db import connection

from tests.dbutil import libpq_target


@pytest.fixture
def scratch_database(django_db_blocker):
    """An empty database on the test server, dropped afterwards: ``(name, url, env)``."""
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        with django_db_blocker.unblock():
            url, env = libpq_target(name)
        yield name, url, env
    finally:
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
