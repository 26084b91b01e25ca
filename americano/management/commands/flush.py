"""``manage.py flush``: Django's, refused in production without --allow-production."""

from django.core.management.commands import flush

from americano.core.environment import refuse_in_production
from americano.management.base import CommandLineContract


class Command(CommandLineContract, flush.Command):
    help = (
        "Removes ALL DATA from the database, keeping the tables. Refused when "
        "AMERICANO_ENV=production unless --allow-production is given."
    )
    exit_codes = {2: "refused (production without --allow-production), or an error"}

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Allow flushing when AMERICANO_ENV=production.",
        )

    def handle(self, **options):
        with self.explained():
            refuse_in_production("flush the database", options["allow_production"])
            return super().handle(**options)
