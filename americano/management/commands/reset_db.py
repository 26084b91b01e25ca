"""``manage.py reset_db``: drop and recreate a development database, guarded."""

from dataclasses import dataclass

from americano.core.errors import InputError, RefusedError
from americano.management.base import ProjectCommand
from americano.ops.databases import connection_for_alias
from americano.ops.reset import reset_database, reset_refusal


@dataclass(frozen=True)
class ResetReport:
    database: str
    ok = True

    def as_dict(self) -> dict:
        return {"ok": True, "database": self.database, "reset": True}


class Command(ProjectCommand):
    help = """\
Drops and recreates the database, empty (run migrate afterwards): for
development only. Refused when AMERICANO_ENV is production or staging, or when
the database is not the embedded one, unless --allow-reset names it. Replaces
django-extensions' reset_db, which knows neither the guard nor the embedded
server."""
    exit_codes = {2: "refused or cancelled (nothing was dropped), or an error"}
    json_doc = "docs/migration-lifecycle.md"

    def add_options(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        self.add_database_option(parser, "reset")
        parser.add_argument(
            "--allow-reset",
            metavar="NAME",
            help="Reset even in production or staging, or a database that is not the "
            "embedded one; NAME must be the database's name.",
        )

    def run(self, **options) -> ResetReport:
        connection = connection_for_alias(options["database"])
        name = connection.settings_dict["NAME"]
        refusal = reset_refusal(connection.settings_dict, options["allow_reset"])
        if refusal:
            raise RefusedError(refusal)
        if options["interactive"]:
            answer = input(f'This destroys every row of database "{name}". Type its name: ')
            if answer != name:
                raise InputError("reset cancelled")
        reset_database(connection)
        return ResetReport(name)

    def render(self, report: ResetReport) -> str:
        return f'Database "{report.database}" reset: run migrate to build it.'
