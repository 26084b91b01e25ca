"""Fixtures shared by the whole suite.

Every test talks to real PostgreSQL: the embedded server unless DATABASE_URL
is set. pytest-django builds the test database with ``migrate``.
"""
