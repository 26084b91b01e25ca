"""``manage.py migrate``: Django's, with our autodetector, a server check, a production guard,
and our executor (``americano.db.executor``: the schema's migrations applied at once)."""

from unittest import mock

from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db.migrations.exceptions import AmbiguityError

from americano.core.environment import current_environment, refuse_in_production
from americano.core.errors import SetupError
from americano.db.autodetector import SchemaAutodetector
from americano.db.executor import MigrationExecutor
from americano.db.preflight import server_problems
from americano.management.base import CommandLineContract
from americano.management.errors import EXIT_ERROR
from americano.management.progress import progress_bars
from americano.ops.databases import connection_for_alias
from americano.ops.deploy import Timeouts, apply_session_timeouts


class Command(CommandLineContract, migrate.Command):
    help = (
        "Updates the database schema to the migrations. Checks first that the server "
        "is PostgreSQL 14+ with pgvector; in production, unapplying migrations and --prune "
        "need --allow-production. Outside development its session gets lock_timeout and "
        "statement_timeout (AMERICANO_LOCK_TIMEOUT, AMERICANO_STATEMENT_TIMEOUT), as "
        "migrate_deploy's does."
    )
    exit_codes = {
        1: "a migration failed, or a batched backfill stopped (its checkpoint says where)",
        2: "refused, bad arguments (an unknown app or migration), or a server that cannot hold "
        "the schema",
    }
    autodetector = SchemaAutodetector

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Allow unapplying migrations (which drops data), and --prune (which forgets "
            "applied migrations), when AMERICANO_ENV=production.",
        )

    def handle(self, *args, **options):
        with self.explained(), progress_bars(self.stdout):
            connection = connection_for_alias(options["database"])
            problems = server_problems(connection)
            if problems:
                raise SetupError("; ".join(problems))
            if options["migration_name"] and self.unapplies(connection, options):
                refuse_in_production("unapply migrations", options["allow_production"])
            if options["prune"]:
                refuse_in_production("prune the recorded migrations", options["allow_production"])
            if current_environment() != "development":
                # As migrate_deploy does: no statement queues behind a long transaction.
                apply_session_timeouts(connection, Timeouts.chosen())
            try:
                # Django's handle builds its executor from this module global and offers no
                # hook; swapping the name for the call keeps all of Django's handle (output,
                # signals, --plan, --fake, checks) and changes only how migrations apply.
                with mock.patch.object(migrate, "MigrationExecutor", MigrationExecutor):
                    return super().handle(*args, **options)
            except CommandError as error:
                # Django's own refusals (an unknown app or migration, conflicting leaves)
                # are the caller's input; library errors are not CommandErrors and keep theirs.
                raise CommandError(str(error), returncode=EXIT_ERROR) from None

    @staticmethod
    def unapplies(connection, options) -> bool:
        """Whether migrating to the named target would unapply anything."""
        executor = MigrationExecutor(connection)
        app_label, name = options["app_label"], options["migration_name"]
        if name == "zero":
            target = (app_label, None)
        else:
            try:
                migration = executor.loader.get_migration_by_prefix(app_label, name)
                target = (migration.app_label, migration.name)
            except (AmbiguityError, KeyError):
                return False  # Django's own handling reports the bad name
        return any(backwards for _, backwards in executor.migration_plan([target]))
