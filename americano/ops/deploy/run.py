"""A deployment from start to end: lock, preflight, safety copy, apply, verify (see the package)."""

import contextlib
from collections.abc import Iterator

from django.core.management.sql import emit_post_migrate_signal
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from americano.core import progress
from americano.core.environment import current_environment
from americano.core.errors import one_line
from americano.db.history import MigrationKey
from americano.ops.databases import describe
from americano.ops.deploy.apply import TASK, Applier, MigrationFailure, apply_session_timeouts
from americano.ops.deploy.checksql import on_shadow, read_check_sql, unpreparable
from americano.ops.deploy.config import DeployOptions
from americano.ops.deploy.lock import DeployLocked, application_name, deploy_lock
from americano.ops.deploy.preflight import (
    DeployRefused,
    check_server,
    count_pending,
    key_name,
    lint_pending,
    lint_summary,
    pending_in_order,
    plan_sql,
    refuse_lint,
)
from americano.ops.deploy.report import (
    APPLIED,
    FAILED,
    LOCK_TIMEOUT,
    NOTHING_TO_DO,
    PLANNED,
    REFUSED,
    DeployReport,
    Verification,
)
from americano.ops.deploy.safety import check_possible, safety_copy
from americano.ops.deploy.verify import check_shadow_server, verify
from americano.ops.pgtools import ConnInfo


@contextlib.contextmanager
def standing_in(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Make ``connection`` the registered connection of its alias for the block (a
    ``--direct-url`` one is not registered): migration code, ``post_migrate`` receivers and
    the checksum recorder reach the database through ``connections[alias]``."""
    alias = connection.alias
    previous = connections[alias]
    connections[alias] = connection
    try:
        yield
    finally:
        connections[alias] = previous


class Deployment:
    """One run of ``migrate_deploy`` on ``connection``; ``report`` says how far it got, also
    when ``run`` raised."""

    def __init__(self, connection: BaseDatabaseWrapper, options: DeployOptions) -> None:
        self.connection = connection
        self.options = options
        self.statements = read_check_sql(options.check_sql) if options.check_sql else None
        self.report = DeployReport(describe(connection), current_environment(), options.as_dict())
        #: The migration under way, if one is, and what applies it.
        self.current: MigrationKey | None = None
        self.applier: Applier | None = None

    def run(self) -> DeployReport:
        try:
            with standing_in(self.connection):
                self.connection.ensure_connection()
                with self.connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('application_name', %s, false)", [application_name()]
                    )
                if self.options.plan:
                    self.plan()
                else:
                    target = ConnInfo.from_django(self.connection)
                    with deploy_lock(target, self.options.lock_wait_s, self.connection) as held:
                        self.report.lock_wait_s = held.waited_s
                        self.report.waited_for = held.waited_for
                        apply_session_timeouts(self.connection, self.options.timeouts)
                        self.deploy()
        except BaseException as error:
            self.ended_by(error)
            raise
        return self.report

    def ended_by(self, error: BaseException) -> None:
        """Record how ``error`` ended the run."""
        if isinstance(error, DeployLocked):
            self.report.finish(LOCK_TIMEOUT)
            return
        if self.current is not None:
            interrupted = isinstance(error, KeyboardInterrupt)
            reason = f"interrupted ({error or 'SIGINT'})" if interrupted else one_line(error)
            # A non-atomic migration stopped half-way may have left its first statements.
            atomic = self.applier.executor.loader.graph.nodes[self.current].atomic
            self.report.failed = MigrationFailure(self.current, reason, None, 0, not atomic)
        self.report.finish(FAILED if self.current or self.report.migrations else REFUSED)

    def preflight(self) -> tuple[MigrationLoader, list[MigrationKey]] | None:
        """The loader and the pending migrations in order, after the checks that cost a query;
        None when nothing is pending (the report then says so)."""
        check_server(self.connection)
        if not count_pending(self.connection):
            self.nothing_to_do()
            return None
        loader, pending = pending_in_order(self.connection)
        self.report.pending = pending
        self.cheap_refusals()
        return loader, pending

    def nothing_to_do(self) -> None:
        """Nothing pending: no safety copy, no lint, no shadow; only the client statements."""
        if self.statements:
            self.report.verification = Verification(
                check_sql_failures=unpreparable(self.connection, self.statements)
            )
        ok = self.report.verification is None or self.report.verification.ok
        self.report.finish(NOTHING_TO_DO if ok else FAILED)

    def check_on_shadow(self, loader: MigrationLoader) -> None:
        if not self.statements:
            return
        leaves = set(loader.graph.leaf_nodes())
        result = on_shadow(self.connection, leaves, self.statements, self.options.shadow_url)
        self.report.check_sql_shadow = result
        if result["failures"]:
            first = result["failures"][0]
            raise DeployRefused(
                f"refusing to deploy: {len(result['failures'])} statements of --check-sql would "
                f"not prepare after the pending migrations (first, line {first['line']}: "
                f"{first['error']}); nothing was applied"
            )

    def cheap_refusals(self) -> None:
        """What would refuse the deploy later and costs a query to know, checked first: a
        restore point without archived WAL, a drift check with no shadow server."""
        check_possible(self.connection, self.options.backup)
        if self.options.verify_drift:
            check_shadow_server(self.connection, self.options.shadow_url)

    def plan(self) -> None:
        """``--plan``: what would run, with its SQL and the lint; refused as a deploy would be."""
        found = self.preflight()
        if found is None:
            return
        loader, pending = found
        self.report.plan = plan_sql(loader, pending)
        lint = lint_pending(self.connection, loader, pending)
        self.report.lint = lint_summary(lint)
        self.check_on_shadow(loader)
        refuse_lint(lint)
        self.report.finish(PLANNED)

    def deploy(self) -> None:
        options = self.options
        found = self.preflight()
        if found is None:
            return
        loader, pending = found
        lint = lint_pending(self.connection, loader, pending)
        self.report.lint = lint_summary(lint)
        refuse_lint(lint)
        self.check_on_shadow(loader)
        self.report.backup = safety_copy(self.connection, options.backup, options.backup_dir)
        self.applier = applier = Applier(self.connection, options.retries)
        for number, key in enumerate(pending):
            progress.report(TASK, number, len(pending), key_name(key))
            self.current = key
            outcome = applier.apply(key)
            self.current = None
            if isinstance(outcome, MigrationFailure):
                self.report.failed = outcome
                self.report.finish(FAILED)
                return
            self.report.migrations.append(outcome)
        progress.report(TASK, len(pending), len(pending))
        nodes = applier.executor.loader.graph.nodes
        emit_post_migrate_signal(
            0,
            False,
            self.connection.alias,
            apps=applier.final_apps(),
            plan=[(nodes[key], False) for key in pending],
        )
        self.report.verification = verify(
            self.connection, pending, options.verify_drift, options.shadow_url, self.statements
        )
        self.report.finish(APPLIED if self.report.verification.ok else FAILED)
