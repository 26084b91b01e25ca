from django.core.management.commands import makemigrations

from americano.db.autodetector import SchemaAutodetector


class Command(makemigrations.Command):
    help = (
        "Creates new migrations for model changes, keeping the Prisma schema's "
        "column order and writing enum type operations."
    )
    autodetector = SchemaAutodetector
