from django.core.management.commands import flush

from americano.environment import refuse_in_production


class Command(flush.Command):
    help = (
        "Removes ALL DATA from the database, keeping the tables. Refused when "
        "AMERICANO_ENV=production unless --allow-production is given."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Allow flushing when AMERICANO_ENV=production.",
        )

    def handle(self, **options):
        refuse_in_production("flush the database", options["allow_production"])
        return super().handle(**options)
