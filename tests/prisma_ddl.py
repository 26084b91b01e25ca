"""The DDL Prisma Migrate writes for the contract, rebuilt from the contract itself.

Applied to an empty database it stands in for the production database, so the
tests can compare ``pg_dump -s`` of that with ``pg_dump -s`` of what ``migrate``
builds.
"""

import json
from pathlib import Path

from americano.db.names import prisma_name

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract" / "americano_schema.json"


def load_contract() -> dict:
    return json.loads(CONTRACT.read_text())


def _q(name: str) -> str:
    return f'"{name}"'


def _cols(columns) -> str:
    return ", ".join(_q(c) for c in columns)


def prisma_ddl(contract: dict) -> str:
    """Prisma's migration SQL for ``contract``: types, tables, indexes, then foreign keys."""
    out = [f'CREATE EXTENSION IF NOT EXISTS "{ext}";' for ext in contract["extensions"]]
    for name, labels in contract["enums"].items():
        out.append(f"CREATE TYPE {_q(name)} AS ENUM ({', '.join(repr(v) for v in labels)});")
    for table, spec in contract["tables"].items():
        lines = []
        for column, c in spec["columns"].items():
            kind = c["type"].upper() if not c["type"].startswith(('"', "vector")) else c["type"]
            line = f"    {_q(column)} {kind}"
            if not c["nullable"]:
                line += " NOT NULL"
            if c["default"] is not None:
                line += f" DEFAULT {c['default']}"
            lines.append(line)
        pkey = _q(prisma_name(table, [], "pkey"))
        lines.append(f"    CONSTRAINT {pkey} PRIMARY KEY ({_cols(spec['primary_key'])})")
        out.append(f"CREATE TABLE {_q(table)} (\n" + ",\n".join(lines) + "\n);")
    for table, spec in contract["tables"].items():
        for columns in spec["indexes"]:
            name = _q(prisma_name(table, columns, "idx"))
            out.append(f"CREATE INDEX {name} ON {_q(table)}({_cols(columns)});")
        for columns in spec["unique"]:
            out.append(
                f"CREATE UNIQUE INDEX {_q(prisma_name(table, columns, 'key'))} "
                f"ON {_q(table)}({_cols(columns)});"
            )
        for column, c in spec["columns"].items():
            if c["type"].startswith("vector"):
                out.append(
                    f"CREATE INDEX {_q(table + '_' + column + '_idx')} ON {_q(table)} "
                    f"USING hnsw ({_q(column)} vector_cosine_ops);"
                )
    for table, spec in contract["tables"].items():
        for fk in spec["foreign_keys"]:
            out.append(
                f"ALTER TABLE {_q(table)} ADD CONSTRAINT "
                f"{_q(prisma_name(table, fk['columns'], 'fkey'))} "
                f"FOREIGN KEY ({_cols(fk['columns'])}) "
                f"REFERENCES {_q(fk['ref_table'])}({_cols(fk['ref_columns'])}) "
                f"ON DELETE {fk['on_delete']} ON UPDATE {fk['on_update']};"
            )
    return "\n".join(out) + "\n"


#: The table ``prisma migrate`` creates to record what it applied (its PostgreSQL DDL).
PRISMA_MIGRATIONS_DDL = """CREATE TABLE "_prisma_migrations" (
    "id" VARCHAR(36) NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "_prisma_migrations_pkey" PRIMARY KEY ("id")
);
"""


def raw_sql_index(table: str, columns: list[str]) -> str:
    """An index as the hand-run raw-SQL files wrote it (the epic 5 core tables): ``IF NOT
    EXISTS`` and the full ``<table>_<columns>_idx`` name, which PostgreSQL itself cuts to 63
    bytes (Prisma's rule cuts the stem and keeps ``_idx``)."""
    name = "_".join([table, *columns, "idx"])
    return f"CREATE INDEX IF NOT EXISTS {_q(name)} ON {_q(table)}({_cols(columns)});"
