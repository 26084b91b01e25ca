"""The database wrapper: PostgreSQL, the Prisma DDL, and the embedded server."""

import psycopg
from django.db.backends.postgresql import base

from americano.db.backend.operations import DatabaseOperations
from americano.db.backend.schema import DatabaseSchemaEditor


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
    ops_class = DatabaseOperations

    @property
    def embedded_pgdata(self) -> str | None:
        """The data folder of the embedded server, or None for a DATABASE_URL."""
        return self.settings_dict.get("EMBEDDED_PGDATA")

    def get_connection_params(self):
        params = super().get_connection_params()
        if self.embedded_pgdata:
            from americano.db import embedded

            params["host"] = str(embedded.ensure_server(self.embedded_pgdata))
        return params

    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except psycopg.OperationalError as error:
            if not (self.embedded_pgdata and "does not exist" in str(error)):
                raise
        # The embedded server creates its databases on first use.
        from americano.db import embedded

        embedded.create_database(conn_params["host"], conn_params["dbname"])
        return super().get_new_connection(conn_params)
