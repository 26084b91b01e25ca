from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from americano.management.base import one_line_errors
from americano.ops.reset import reset_database, reset_refusal


class Command(BaseCommand):
    help = (
        "Drops and recreates the database, empty (run migrate afterwards): for "
        "development only. Refused when AMERICANO_ENV is production or staging, or "
        "when the database is not the embedded one, unless --allow-reset names it. "
        "Replaces django-extensions' reset_db, which knows neither the guard nor the "
        "embedded server."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='The database to reset (default: "default").',
        )
        parser.add_argument(
            "--allow-reset",
            metavar="NAME",
            help="Reset even in production or staging, or a database that is not the "
            "embedded one; NAME must be the database's name.",
        )

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        name = connection.settings_dict["NAME"]
        refusal = reset_refusal(connection.settings_dict, options["allow_reset"])
        if refusal:
            raise CommandError(refusal, returncode=2)
        if options["interactive"]:
            answer = input(f'This destroys every row of database "{name}". Type its name: ')
            if answer != name:
                raise CommandError("reset cancelled", returncode=2)
        with one_line_errors():
            reset_database(connection)
        self.stdout.write(f'Database "{name}" reset: run migrate to build it.')
