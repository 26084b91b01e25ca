"""Choosing the migrations, writing their SQL, and turning rules and squawk into findings."""

import contextlib
from pathlib import Path

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from americano.core.errors import InputError, first_line
from americano.db.history import history
from americano.ops.lint.model import Cost, Hit, LintedMigration, OperationSQL, Overrule, Rule
from americano.ops.lint.report import Finding, LintReport, Overruled
from americano.ops.lint.rules import RULES, RULES_BY_ID
from americano.ops.lint.sizes import (
    LargeTable,
    TableSizes,
    configured_large_table,
    severity,
    size_note,
)
from americano.ops.lint.statements import statement_lock, statement_table, unqualified
from americano.ops.squawk import COSTS, DOCS, run_squawk, server_version

_NEW_TABLE = "the table is created by this migration: no running code uses it yet"


class LintError(InputError):
    """The migrations to lint could not be chosen or read."""


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
    *,
    sizes: TableSizes | None = None,
    large_table: LargeTable | None = None,
    strict: bool = False,
) -> LintReport:
    """Lint migrations ``keys`` of ``loader``'s graph; ``connection`` writes their SQL.

    ``sizes`` (the live tables of a database) makes a rewrite, scan or index build
    blocking only on a table above ``large_table`` (by default the settings' limits);
    without it the lint reads the files alone and counts every table as large.
    ``strict`` fails on advice too.
    """
    graph = loader.graph
    wanted = {node for key in keys for node in graph.forwards_plan(key)}
    targets = set(keys)
    state = ProjectState(real_apps=loader.unmigrated_apps)
    linted = []
    for app_label, migration in history(graph):
        key = (app_label, migration.name)
        if key in targets:
            # A migration nothing else in the selection builds on is linted on a copy:
            # migrations on parallel branches (one per app) do not see each other's changes.
            built_on = any(child.key in wanted for child in graph.node_map[key].children)
            base = state if built_on else state.clone()
            linted.append(collect_sql(connection, app_label, migration, base))
        elif key in wanted:
            state = migration.mutate_state(state, preserve=False)
    large_table = large_table or configured_large_table()
    findings, overrules = _django_findings(linted)
    more, overruled = _squawk_findings(
        linted, findings, overrules, server_version(connection.pg_version)
    )
    findings += more
    for finding in findings:
        _judge(finding, sizes, large_table)
    unused = _apply_waivers(linted, findings)
    position = {(m.app_label, m.migration.name): number for number, m in enumerate(linted)}
    findings.sort(key=lambda f: (position[f.app, f.migration], _operation_order(f)))
    return LintReport(
        selection,
        [m.key for m in linted],
        findings,
        unused,
        overruled,
        large_table,
        sizes.database if sizes else None,
        strict,
        sizes.unread if sizes else None,
    )


def _operation_order(finding: Finding) -> int:
    """Migration-level findings first, then by operation."""
    return -1 if finding.operation_index is None else finding.operation_index


def _judge(finding: Finding, sizes: TableSizes | None, large_table: LargeTable) -> None:
    """Give ``finding`` its severity, and its table's live size when there is one."""
    size = sizes.of(finding.table.split(", ")) if sizes and finding.table else None
    finding.table_size = size if size and size.exists else None
    finding.severity = severity(finding.cost, size, large_table)
    note = size_note(finding.cost, size, large_table)
    if note:
        finding.message = f"{finding.message} {finding.table or 'Table'}: {note}."


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


def _finding(m: LintedMigration, rule: Rule, hit: Hit) -> Finding:
    message = f"{rule.problem} ({hit.detail})" if hit.detail else rule.problem
    return Finding(
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
        cost=hit.cost or rule.cost,
    )


def _django_findings(
    linted: list[LintedMigration],
) -> tuple[list[Finding], list[tuple[LintedMigration, Overrule]]]:
    findings: list[Finding] = []
    overrules: list[tuple[LintedMigration, Overrule]] = []
    for m in linted:
        for rule in RULES:
            for result in rule.check(m):
                if isinstance(result, Overrule):
                    overrules.append((m, result))
                else:
                    findings.append(_finding(m, rule, result))
    return findings, overrules


def _squawk_findings(
    linted: list[LintedMigration],
    django: list[Finding],
    overrules: list[tuple[LintedMigration, Overrule]],
    pg_version: str,
) -> tuple[list[Finding], list[Overruled]]:
    """squawk's findings: those on an operation a rule reports are folded into it; those a
    rule overrules, and those on a table the migration creates, are listed as overruled."""
    by_key = {m.key: m for m in linted}
    findings: list[Finding] = []
    overruled: dict[tuple, Overruled] = {}
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
        cost = Cost(COSTS.get(hit.rule, Cost.BREAKS))
        table = statement_table(hit.sql)
        why = next(
            (
                overrule.why
                for owner, overrule in overrules
                if owner is m and overrule.operation == hit.operation and hit.rule in overrule.rules
            ),
            _NEW_TABLE
            if cost is not Cost.ADVICE and unqualified(table) in m.created_tables
            else None,
        )
        if why is not None:
            entry = Overruled(hit.rule, m.app_label, m.migration.name, hit.operation, why)
            overruled.setdefault((entry.rule, entry.migration, entry.operation_index), entry)
            continue
        findings.append(
            Finding(
                hit.rule,
                "squawk",
                m.app_label,
                m.migration.name,
                hit.operation,
                _describe(m, hit.operation),
                table,
                statement_lock(hit.sql),
                hit.message,
                f"{hit.help or ''} See {DOCS.format(rule=hit.rule)}".strip(),
                hit.sql,
                cost=cost,
            )
        )
    return findings, list(overruled.values())


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
