"""``manage.py makemigrations``: Django's, with the autodetector that keeps Prisma's shape."""

from django.core.management.commands import makemigrations

from americano.db.autodetector import SchemaAutodetector
from americano.management.base import CommandLineContract


class Command(CommandLineContract, makemigrations.Command):
    help = (
        "Creates new migrations for model changes, keeping the Prisma schema's "
        "column order and writing enum type operations."
    )
    exit_codes = {1: "with --check: model changes that no migration carries"}
    autodetector = SchemaAutodetector
