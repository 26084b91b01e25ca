"""Django's PostgreSQL backend, speaking the Prisma-built schema's DDL.

Use it as ``ENGINE = "americano.db.backend"``.
"""
