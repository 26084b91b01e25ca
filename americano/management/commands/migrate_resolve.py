"""``manage.py migrate_resolve``: mend the migration history by hand, with an audit row."""

from americano.core.reports import printable
from americano.management.base import ProjectCommand
from americano.ops.databases import connection_for_alias
from americano.ops.ledger import AuditEntry
from americano.ops.resolve import ACCEPT_CHECKSUM, APPLIED, ROLLED_BACK, resolve

#: Option destination -> resolve action.
ACTIONS = {"applied": APPLIED, "rolled_back": ROLLED_BACK, "accept_checksum": ACCEPT_CHECKSUM}


class Command(ProjectCommand):
    help = """\
Resolves the migration history by hand, without running any migration SQL,
like prisma migrate resolve: --applied records a migration as applied (with
its checksum), --rolled-back removes its record, --accept-checksum records its
current checksum after a deliberate edit. Each writes an audit row (OS user,
--actor, when, what, --reason) that migrate_status shows."""
    exit_codes = {2: "refused (nothing changed): unknown migration, broken dependencies, ..."}
    json_doc = "docs/migration-lifecycle.md"

    def add_options(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--applied",
            nargs=2,
            metavar=("APP", "MIGRATION"),
            help="Record the migration as applied (its changes are already in the database).",
        )
        action.add_argument(
            "--rolled-back",
            nargs=2,
            metavar=("APP", "MIGRATION"),
            help="Remove the migration's record (its changes are not in the database); "
            "also for a recorded migration whose file is gone.",
        )
        action.add_argument(
            "--accept-checksum",
            nargs=2,
            metavar=("APP", "MIGRATION"),
            help="Accept the edited migration's current checksum (needs --reason).",
        )
        parser.add_argument("--reason", help="Why: kept in the audit trail.")
        parser.add_argument(
            "--actor",
            help="Who asked for it (a person or pipeline), kept beside the OS user.",
        )
        self.add_database_option(parser, "resolve on")

    def run(self, **options) -> AuditEntry:
        dest = next(dest for dest in ACTIONS if options[dest])
        app, name = options[dest]
        return resolve(
            connection_for_alias(options["database"]),
            ACTIONS[dest],
            app,
            name,
            actor=options["actor"],
            reason=options["reason"],
        )

    def render(self, entry: AuditEntry) -> str:
        checksum = entry.checksum_after or entry.checksum_before or "none"
        return printable(
            f"{entry.action}: {entry.app}.{entry.name} (checksum {checksum}), "
            f"audited as {entry.os_user}" + (f" for {entry.actor}" if entry.actor else "")
        )
