"""What makes Django speak the Prisma-built Americano schema.

Fields, indexes, migration operations, the PostgreSQL backend and the migration
autodetector live here. Nothing in this package imports a domain app: the domain
apps import from it.
"""
