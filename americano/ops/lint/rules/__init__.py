"""The Django-level rules of ``migrate_lint``: what each catches, its cost, its lock, the safe way.

A rule looks at one migration with what the linter learnt about it (the tables
that exist before it runs, each operation's states and generated SQL) and yields
hits, and overrules where it knows squawk is wrong about an operation. Rules that
read SQL see the statements Django generates for each operation, RunSQL
included; squawk reads the same statements, and its findings on an operation a
rule already reports are folded into that finding (``Rule.squawk``).

``Rule.cost`` says how bad a hit is (``model.Cost``): the engine makes it
``blocking`` or ``advice``, by the size of the table for the costs that grow
with it.
"""

from americano.ops.lint.model import Cost, Rule
from americano.ops.lint.rules import code, columns, indexes

_ROLLING = (
    "During a rolling deploy the old code keeps running against the new schema and fails on it."
)

RULES: tuple[Rule, ...] = (
    Rule(
        "not-null-column-without-default",
        "A NOT NULL column without a database default is added to an existing table (or "
        "loses its default): INSERTs from code that does not name the column fail.",
        "ACCESS EXCLUSIVE (brief, no rewrite)",
        "Give the field a db_default (kept in the database), or add it null=True, "
        "backfill, and make it NOT NULL in a later deploy.",
        columns._not_null_without_default,
        Cost.BREAKS,
        frozenset({"adding-required-field", "ban-drop-default"}),
    ),
    Rule(
        "column-type-change",
        "A column's type changes on an existing table: the table is rewritten and "
        "running code may not read the new type.",
        "ACCESS EXCLUSIVE for the whole rewrite (reads and writes blocked)",
        "Add a new column, write both, backfill in batches, switch reads, drop the "
        "old column later. (Lifting a limit, such as a longer varchar, varchar to text or "
        "a wider numeric, rewrites nothing and is not reported.)",
        columns._changed_column_type,
        Cost.REWRITE,
        frozenset({"changing-column-type"}),
    ),
    Rule(
        "table-rewrite",
        "An existing table is rewritten: a column with a volatile default or a stored "
        "generated column is added, or the SQL moves or rewrites the table.",
        "ACCESS EXCLUSIVE for the whole rewrite (reads and writes blocked)",
        "Add the column nullable without the default, set the default, backfill in "
        "batches (makebackfill); for a generated value, compute it in a trigger or the "
        "code; rewrite tables with pg_repack rather than VACUUM FULL or CLUSTER.",
        columns._rewrites_table,
        Cost.REWRITE,
        frozenset({"adding-field-with-default", "prefer-repack"}),
    ),
    Rule(
        "rename-column",
        f"A column of an existing table is renamed. {_ROLLING}",
        "ACCESS EXCLUSIVE (brief)",
        "Keep the column name (set db_column to it), or add the new column, "
        "write both, backfill, switch, and drop the old one in a later deploy.",
        columns._renamed_column,
        Cost.BREAKS,
        frozenset({"renaming-column"}),
    ),
    Rule(
        "rename-table",
        f"An existing table is renamed. {_ROLLING}",
        "ACCESS EXCLUSIVE (brief)",
        "Keep the table name (set Meta.db_table to it); rename the model only.",
        columns._renamed_table,
        Cost.BREAKS,
        frozenset({"renaming-table"}),
    ),
    Rule(
        "drop-column",
        f"A column is dropped from an existing table. {_ROLLING}",
        "ACCESS EXCLUSIVE (brief)",
        "Two deploys: first stop using the field (remove it from the model with "
        "SeparateDatabaseAndState, state only; make it nullable), then drop the column "
        "in a later migration.",
        columns._dropped_column,
        Cost.BREAKS,
        frozenset({"ban-drop-column"}),
    ),
    Rule(
        "drop-table",
        f"An existing table is dropped. {_ROLLING}",
        "ACCESS EXCLUSIVE (brief)",
        "Two deploys: first stop using the model (SeparateDatabaseAndState, state "
        "only), then drop the table in a later migration.",
        columns._dropped_table,
        Cost.BREAKS,
        frozenset({"ban-drop-table"}),
    ),
    Rule(
        "required-column-hidden",
        "A NOT NULL column without a database default is removed from the model but kept "
        "in the table: the new code's INSERTs leave it out and fail.",
        "none (INSERTs fail)",
        "In the same migration, make the column nullable (AlterField null=True) or give it "
        "a db_default before removing the field from the state.",
        columns._required_column_hidden,
        Cost.BREAKS,
    ),
    Rule(
        "index-not-concurrent",
        "An index is built on an existing table without CONCURRENTLY.",
        "SHARE for the whole build (writes blocked)",
        "Use django.contrib.postgres.operations.AddIndexConcurrently in a migration "
        "with atomic = False (a unique index: a unique AddIndexConcurrently).",
        indexes._index_not_concurrent,
        Cost.BUILD,
        frozenset({"require-concurrent-index-creation"}),
    ),
    Rule(
        "constraint-not-valid",
        "A foreign key or check constraint is added to an existing table and "
        "validated at once, scanning every row under lock.",
        "SHARE ROW EXCLUSIVE on both tables (foreign key) or ACCESS EXCLUSIVE (check), "
        "while every row is checked",
        "Add it NOT VALID (AddConstraintNotValid for checks; RunSQL ... NOT VALID "
        "in SeparateDatabaseAndState for foreign keys), then ValidateConstraint / "
        "VALIDATE CONSTRAINT in a later migration.",
        indexes._constraint_validated_at_once,
        Cost.SCAN,
        frozenset({"adding-foreign-key-constraint", "constraint-missing-not-valid"}),
    ),
    Rule(
        "exclusion-constraint",
        "An exclusion constraint is added to an existing table: its index is built under "
        "ACCESS EXCLUSIVE, and it cannot be added NOT VALID.",
        "ACCESS EXCLUSIVE for the whole build (reads and writes blocked)",
        "Build a new table with the constraint and move the data to it, or add the "
        "constraint in a maintenance window.",
        indexes._exclusion_constraint,
        Cost.BUILD,
        frozenset({"constraint-missing-not-valid"}),
    ),
    Rule(
        "wide-index",
        "A non-unique index has more than three columns, which rarely makes it better.",
        "none",
        "Index the columns that narrow the rows most, three at most.",
        indexes._wide_index,
        Cost.ADVICE,
    ),
    Rule(
        "run-python-without-reverse",
        "RunPython has no reverse_code: the migration cannot be unapplied.",
        "none",
        "Give it reverse_code (migrations.RunPython.noop when there is nothing to undo).",
        code._run_python_without_reverse,
        Cost.ADVICE,
    ),
    Rule(
        "run-sql-without-reverse",
        "RunSQL has no reverse_sql: the migration cannot be unapplied.",
        "none",
        "Give it reverse_sql (migrations.RunSQL.noop when there is nothing to undo).",
        code._run_sql_without_reverse,
        Cost.ADVICE,
    ),
    Rule(
        "enum-label-added-and-used",
        "An enum label is added and used in the same transaction: PostgreSQL refuses "
        "(unsafe use of new value) and the migration fails.",
        "none (the migration fails)",
        "Add the label in its own migration, and use it in the next one.",
        code._enum_label_added_and_used,
        Cost.BREAKS,
    ),
    Rule(
        "enum-label-removed",
        "An enum label is removed: the type is rebuilt and every column of it converted, "
        "rewriting each table that has one.",
        "ACCESS EXCLUSIVE on each table for its rewrite",
        "Keep the label (stop writing it), or move the column to a new type through a new "
        "column, a batched backfill and a switch.",
        code._enum_label_removed,
        Cost.REWRITE,
        frozenset({"changing-column-type", "renaming-object", "ban-drop-type"}),
    ),
    Rule(
        "backfill-in-schema-migration",
        "A data backfill runs inside an atomic migration that also changes an existing "
        "table: the schema locks are held until the backfill commits.",
        "the locks of the migration's schema changes, for the whole backfill",
        "Move the backfill to its own migration (atomic = False, in batches), "
        "after the schema migration.",
        code._backfill_in_schema_migration,
        Cost.HOLDS,
    ),
    Rule(
        "timeout-overridden",
        "The migration's SQL lifts a timeout that migrate sets for it: a lock_timeout "
        "removed or longer than the deploy's lets a lock wait queue every query on the "
        "table; a statement_timeout changed no longer bounds the statements after it.",
        "whatever the later statements take, waited for without the deploy's limit",
        "Leave lock_timeout to the deploy (or shorten it: SET LOCAL lock_timeout = '2s'); "
        "lift statement_timeout only for CONCURRENTLY or VALIDATE work.",
        code._timeout_overridden,
        Cost.WAITS,
    ),
    Rule(
        "auto-generated-name",
        "The migration has an auto-generated name, which says nothing of what it does.",
        "none",
        "Rename it (and references to it) to say what it does: "
        "makemigrations --name add_card_slug.",
        code._auto_generated_name,
        Cost.ADVICE,
    ),
    Rule(
        "operation-fails",
        "The operation fails before its SQL can be written; migrate would fail too.",
        "none",
        "Fix the operation (a CONCURRENTLY operation needs atomic = False on its migration).",
        code._operation_fails,
        Cost.BREAKS,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}
