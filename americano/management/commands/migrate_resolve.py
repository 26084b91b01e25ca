import json

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from americano.management.base import add_format_argument, one_line_errors
from americano.ops.resolve import ACCEPT_CHECKSUM, APPLIED, ROLLED_BACK, ResolveError, resolve
from americano.ops.status import audit_dict

#: Option destination -> resolve action.
ACTIONS = {"applied": APPLIED, "rolled_back": ROLLED_BACK, "accept_checksum": ACCEPT_CHECKSUM}


class Command(BaseCommand):
    help = (
        "Resolves the migration history by hand, without running any migration SQL, "
        "like prisma migrate resolve: --applied records a migration as applied (with "
        "its checksum), --rolled-back removes its record, --accept-checksum records "
        "its current checksum after a deliberate edit. Each writes an audit row (OS "
        "user, --actor, when, what, --reason) that migrate_status shows."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
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
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='The database to resolve on (default: "default").',
        )
        add_format_argument(parser, "the audit row written")

    def handle(self, *args, **options):
        dest = next(dest for dest in ACTIONS if options[dest])
        app, name = options[dest]
        with one_line_errors(ResolveError):
            entry = resolve(
                connections[options["database"]],
                ACTIONS[dest],
                app,
                name,
                actor=options["actor"],
                reason=options["reason"],
            )
        if options["format"] == "json":
            self.stdout.write(json.dumps(audit_dict(entry), indent=2))
            return
        checksum = entry.checksum_after or entry.checksum_before or "none"
        self.stdout.write(
            f"{entry.action}: {entry.app}.{entry.name} (checksum {checksum}), "
            f"audited as {entry.os_user}" + (f" for {entry.actor}" if entry.actor else "")
        )
