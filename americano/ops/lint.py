"""``migrate_lint``: what a migration will lock, break or fail on, before production.

Each migration to lint is run the way ``sqlmigrate`` runs it (a schema editor
that collects SQL instead of executing it), one operation at a time, so that
every statement, deferred ones included, is known with the operation that wrote
it and the states around it. The Django-level rules (``lint_rules``) and squawk
(``squawk``) then read the migration; a squawk finding on an operation that a
rule already reports is folded into that finding.

A finding is waived in the migration file, with a reason::

    class Migration(migrations.Migration):
        lint_waivers = {"index-not-concurrent": "cards holds 40 rows in production"}

Waived findings are still reported, marked waived; they do not fail the lint.
"""

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from americano.core.errors import InputError, first_line
from americano.db.history import history
from americano.ops.lint_rules import (
    RULES,
    RULES_BY_ID,
    LintedMigration,
    OperationSQL,
    statement_lock,
    statement_table,
)
from americano.ops.squawk import DOCS, run_squawk, server_version

FORMAT_VERSION = 1


class LintError(InputError):
    """The migrations to lint could not be chosen or read."""


@dataclass
class Finding:
    rule: str
    #: ``django`` (a rule of ``lint_rules``) or ``squawk``.
    source: str
    app: str
    migration: str
    operation_index: int | None
    operation: str | None
    table: str | None
    lock: str | None
    message: str
    safe: str
    sql: str | None = None
    #: squawk rules folded into this finding.
    also: list[str] = field(default_factory=list)
    #: The reason given in the migration's ``lint_waivers``, when waived.
    waiver: str | None = None

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "source": self.source,
            "app": self.app,
            "migration": self.migration,
            "operation": None
            if self.operation_index is None
            else {"index": self.operation_index, "description": self.operation},
            "table": self.table,
            "lock": self.lock,
            "message": self.message,
            "safe_alternative": self.safe,
            "sql": self.sql,
            "also_reported_by": self.also,
            "waived": self.waiver is not None,
            "waiver_reason": self.waiver,
        }


@dataclass
class LintReport:
    #: ``pending``, ``all``, ``<app>`` or ``<app>.<migration>``.
    selection: str
    migrations: list[str]
    findings: list[Finding]
    #: Waivers that waive nothing, or give no reason (and so are ignored).
    unused_waivers: list[dict]

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.waiver is None]

    @property
    def ok(self) -> bool:
        return not self.blocking

    def as_dict(self) -> dict:
        """The ``--format json`` document (keys documented in docs/migration-lifecycle.md)."""
        return {
            "format": FORMAT_VERSION,
            "selection": self.selection,
            "clean": self.ok,
            "summary": {
                "migrations": len(self.migrations),
                "findings": len(self.findings),
                "blocking": len(self.blocking),
                "waived": len(self.findings) - len(self.blocking),
            },
            "migrations": self.migrations,
            "findings": [finding.as_dict() for finding in self.findings],
            "unused_waivers": self.unused_waivers,
        }


def _is_project_app(app_label: str) -> bool:
    """An app of this repository, not an installed package."""
    return "site-packages" not in Path(apps.get_app_config(app_label).path).parts


def select_migrations(
    loader: MigrationLoader,
    app_label: str | None = None,
    name: str | None = None,
    everything: bool = False,
) -> tuple[str, list[tuple[str, str]]]:
    """The selection's label and its migrations, in the order migrate runs them.

    By default the migrations not applied to the loader's database; ``app_label``
    (and ``name``) picks one app (or one migration); ``everything`` picks every
    migration of the project's own apps.
    """
    ordered = [(app, migration.name) for app, migration in history(loader.graph)]
    if everything:
        return "all", [key for key in ordered if _is_project_app(key[0])]
    if app_label:
        if app_label not in loader.migrated_apps:
            raise LintError(f"app {app_label!r} has no migrations")
        if name:
            try:
                migration = loader.get_migration_by_prefix(app_label, name)
            except AmbiguityError as error:
                raise LintError(str(error)) from None
            except KeyError:
                raise LintError(f"no migration {app_label}.{name}") from None
            return f"{app_label}.{migration.name}", [(app_label, migration.name)]
        return app_label, [key for key in ordered if key[0] == app_label]
    return "pending", [key for key in ordered if key not in loader.applied_migrations]


def _existing_tables(state: ProjectState) -> frozenset[str]:
    return frozenset(
        model._meta.db_table for model in state.apps.get_models(include_auto_created=True)
    )


def collect_sql(
    connection: BaseDatabaseWrapper, app_label: str, migration, state: ProjectState
) -> LintedMigration:
    """Run ``migration`` on ``state`` collecting, per operation, the SQL it writes.

    ``state`` is advanced past the migration. Nothing is executed on the
    database but the introspection queries some operations make.
    """
    existing = _existing_tables(state)
    items: list[OperationSQL] = []
    origin: dict[int, tuple[object, int]] = {}  # id(deferred statement) -> (it, operation)
    with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
        for index, operation in enumerate(migration.operations):
            before = state.clone()
            operation.state_forwards(app_label, state)
            # ``after`` is this state until the next operation's ``before`` is known.
            item = OperationSQL(index, operation, before, state)
            start = len(editor.collected_sql)
            if operation.reduces_to_sql:
                # A savepoint keeps the migration's transaction usable after a failure.
                guard = (
                    transaction.atomic(using=connection.alias)
                    if connection.in_atomic_block
                    else contextlib.nullcontext()
                )
                try:
                    with guard:
                        operation.database_forwards(app_label, editor, before, state)
                except (DatabaseError, ValueError, LookupError) as error:
                    item.error = first_line(error)
            item.statements = editor.collected_sql[start:]
            for statement in editor.deferred_sql:
                origin.setdefault(id(statement), (statement, index))
            if items:
                items[-1].after = before
            items.append(item)
        deferred = [origin[id(statement)][1] for statement in editor.deferred_sql]
        start = len(editor.collected_sql)
    for index, sql in zip(deferred, editor.collected_sql[start:], strict=True):
        items[index].statements.append(sql)
    if items:
        items[-1].after = state.clone()
    return LintedMigration(app_label, migration, existing, items, connection)


def lint_migrations(
    loader: MigrationLoader,
    keys: list[tuple[str, str]],
    connection: BaseDatabaseWrapper,
    selection: str = "pending",
) -> LintReport:
    """Lint migrations ``keys`` of ``loader``'s graph; ``connection`` writes their SQL."""
    graph = loader.graph
    wanted = {node for key in keys for node in graph.forwards_plan(key)}
    targets = set(keys)
    state = ProjectState(real_apps=loader.unmigrated_apps)
    linted = []
    for app_label, migration in history(graph):
        key = (app_label, migration.name)
        if key in targets:
            linted.append(collect_sql(connection, app_label, migration, state))
        elif key in wanted:
            state = migration.mutate_state(state, preserve=False)
    findings = _django_findings(linted)
    findings += _squawk_findings(linted, findings, server_version(connection.pg_version))
    unused = _apply_waivers(linted, findings)
    position = {(m.app_label, m.migration.name): number for number, m in enumerate(linted)}
    findings.sort(key=lambda f: (position[f.app, f.migration], _operation_order(f)))
    return LintReport(selection, [m.key for m in linted], findings, unused)


def _operation_order(finding: Finding) -> int:
    """Migration-level findings first, then by operation."""
    return -1 if finding.operation_index is None else finding.operation_index


def _describe(linted: LintedMigration, index: int | None) -> str | None:
    if index is None:
        return None
    return linted.operations[index].operation.describe()


def _sql(linted: LintedMigration, index: int | None) -> str | None:
    """The SQL an operation writes, to show with a finding that names no statement."""
    if index is None:
        return None
    return "\n".join(linted.operations[index].statements) or None


def _touched_tables(linted: LintedMigration, index: int | None) -> str | None:
    """The tables an operation's SQL touches, for a finding that names none."""
    if index is None:
        return None
    statements = linted.operations[index].statements
    return ", ".join(sorted({statement_table(sql) for sql in statements} - {None})) or None


def _django_findings(linted: list[LintedMigration]) -> list[Finding]:
    findings = []
    for m in linted:
        for rule in RULES:
            for hit in rule.check(m):
                message = f"{rule.problem} ({hit.detail})" if hit.detail else rule.problem
                findings.append(
                    Finding(
                        rule.id,
                        "django",
                        m.app_label,
                        m.migration.name,
                        hit.operation,
                        _describe(m, hit.operation),
                        hit.table or _touched_tables(m, hit.operation),
                        hit.lock or rule.lock,
                        message,
                        rule.safe,
                        hit.sql or _sql(m, hit.operation),
                    )
                )
    return findings


def _squawk_findings(
    linted: list[LintedMigration], django: list[Finding], pg_version: str
) -> list[Finding]:
    """squawk's findings; those on an operation a rule reports are folded into it."""
    by_key = {m.key: m for m in linted}
    findings: list[Finding] = []
    for hit in run_squawk(linted, pg_version):
        m = by_key[hit.migration]
        same = next(
            (
                finding
                for finding in django
                if (finding.app, finding.migration) == (m.app_label, m.migration.name)
                and finding.operation_index == hit.operation
                and hit.rule in RULES_BY_ID[finding.rule].squawk
            ),
            None,
        )
        if same is not None:
            if hit.rule not in same.also:
                same.also.append(hit.rule)
            continue
        findings.append(
            Finding(
                hit.rule,
                "squawk",
                m.app_label,
                m.migration.name,
                hit.operation,
                _describe(m, hit.operation),
                statement_table(hit.sql),
                statement_lock(hit.sql),
                hit.message,
                f"{hit.help or ''} See {DOCS.format(rule=hit.rule)}".strip(),
                hit.sql,
            )
        )
    return findings


def _apply_waivers(linted: list[LintedMigration], findings: list[Finding]) -> list[dict]:
    """Mark waived findings; return the waivers that waived nothing or gave no reason."""
    unused = []
    for m in linted:
        waivers = getattr(m.migration, "lint_waivers", None) or {}
        mine = [f for f in findings if (f.app, f.migration) == (m.app_label, m.migration.name)]
        for rule, reason in waivers.items():
            reason = (reason or "").strip() if isinstance(reason, str) else ""
            matched = [f for f in mine if rule == f.rule or rule in f.also]
            if reason:
                for finding in matched:
                    finding.waiver = reason
            if not (reason and matched):
                unused.append(
                    {
                        "app": m.app_label,
                        "migration": m.migration.name,
                        "rule": rule,
                        "why": "no reason given" if not reason else "waives no finding",
                    }
                )
    return unused
