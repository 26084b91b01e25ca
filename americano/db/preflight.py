"""What a server must offer before the schema can be built on it."""

from django.db.backends.base.base import BaseDatabaseWrapper

MINIMUM_SERVER_VERSION = 140000


def server_problems(connection: BaseDatabaseWrapper) -> list[str]:
    """Why this server cannot hold the Americano schema; empty when it can."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version(), current_setting('server_version_num')::int,"
            " EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')"
        )
        banner, version, has_vector = cursor.fetchone()
    if not banner.startswith("PostgreSQL"):
        problems.append(f"the server is not PostgreSQL ({banner.split(',')[0]})")
    if version < MINIMUM_SERVER_VERSION:
        problems.append(f"PostgreSQL {version // 10000} is too old: 14 or newer is needed")
    if not has_vector:
        problems.append("the pgvector extension ('vector') is not installed on the server")
    return problems
