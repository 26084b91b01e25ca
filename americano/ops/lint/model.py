"""What the rules of ``migrate_lint`` look at, and what they say back.

The engine runs each migration the way ``sqlmigrate`` does and hands every rule
a :class:`LintedMigration`: the tables that exist before it runs, and each
operation between its states with the SQL it writes. A rule yields a
:class:`Hit` where it fires, or an :class:`Overrule` where it knows that a
squawk finding on the same operation is wrong (a varchar widening that squawk
takes for a rewrite).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations import Migration
from django.db.migrations import operations as ops
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from django.db.models import Model


class Cost(StrEnum):
    """What a finding costs the running system; its severity follows from it."""

    #: The running code fails against the new schema, or migrate itself fails.
    BREAKS = "breaks"
    #: A lock is waited for without a bound, and every query on the table queues behind it.
    WAITS = "waits"
    #: The table is rewritten under a lock that stops reads and writes.
    REWRITE = "rewrite"
    #: Every row is read under a lock that stops reads or writes.
    SCAN = "scan"
    #: An index is built with writes stopped.
    BUILD = "build"
    #: Schema locks are held while a data change runs.
    HOLDS = "holds"
    #: Style and future-proofing: nothing is stopped or broken.
    ADVICE = "advice"


#: Costs that grow with the table: blocking on a large (or unmeasured) table, advice on a small one.
SIZED = frozenset({Cost.REWRITE, Cost.SCAN, Cost.BUILD, Cost.HOLDS})


@dataclass
class OperationSQL:
    """One operation of a migration, between its states, with the SQL it generates."""

    index: int
    operation: Operation
    before: ProjectState
    after: ProjectState
    statements: list[str] = field(default_factory=list)
    #: Why SQL could not be generated for it, if it could not.
    error: str | None = None


def _tables(state: ProjectState) -> frozenset[str]:
    return frozenset(m._meta.db_table for m in state.apps.get_models(include_auto_created=True))


@dataclass
class LintedMigration:
    app_label: str
    migration: Migration
    #: Tables that exist before the migration runs.
    existing_tables: frozenset[str]
    operations: list[OperationSQL]
    connection: BaseDatabaseWrapper

    @property
    def key(self) -> str:
        return f"{self.app_label}.{self.migration.name}"

    @cached_property
    def created_tables(self) -> frozenset[str]:
        """Tables that some operation of this migration creates (no running code uses them)."""
        made = frozenset().union(*(_tables(item.after) for item in self.operations))
        return made - self.existing_tables

    def database_operations(
        self,
    ) -> Iterator[tuple[OperationSQL, Operation, ProjectState, ProjectState]]:
        """Each operation that acts on the database, with its states.

        The database side of a ``SeparateDatabaseAndState`` is walked, its state
        side (which changes nothing in the database) is not.
        """
        for item in self.operations:
            if isinstance(item.operation, ops.SeparateDatabaseAndState):
                state = item.before
                for inner in item.operation.database_operations:
                    after = state.clone()
                    inner.state_forwards(self.app_label, after)
                    yield item, inner, state, after
                    state = after
            else:
                yield item, item.operation, item.before, item.after

    def model(self, state: ProjectState, name: str) -> type[Model]:
        """Model ``name`` of the migration's app as it is in ``state``."""
        return state.apps.get_model(self.app_label, name)

    def columns(self, state: ProjectState, table: str) -> frozenset[str]:
        """The columns the models of ``state`` give ``table`` (what the code reads and writes)."""
        return frozenset(
            f.column
            for m in state.apps.get_models(include_auto_created=True)
            if m._meta.db_table == table
            for f in m._meta.concrete_fields
        )


@dataclass(frozen=True)
class Hit:
    """Where a rule fires: the operation (None for the migration), table, SQL, details."""

    operation: int | None
    table: str | None = None
    sql: str | None = None
    detail: str | None = None
    lock: str | None = None
    #: The cost of this hit when it is not the rule's (a lock_timeout lifted, not removed).
    cost: Cost | None = None


@dataclass(frozen=True)
class Overrule:
    """A rule's word that squawk's ``rules`` on this operation are wrong here, and why."""

    operation: int
    rules: frozenset[str]
    why: str


@dataclass(frozen=True)
class Rule:
    id: str
    #: What is wrong, in one sentence.
    problem: str
    #: The lock taken (or what else is at stake).
    lock: str
    #: The safe way to make the same change.
    safe: str
    check: Callable[[LintedMigration], Iterator[Hit | Overrule]]
    cost: Cost
    #: squawk rules that report the same problem on the same statement.
    squawk: frozenset[str] = frozenset()
