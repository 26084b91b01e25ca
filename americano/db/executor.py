"""Django's ``MigrationExecutor``, applying the migrations that build the schema at once.

Django applies a migration operation by operation: it advances the project
state over each operation and re-renders the models it touches, then runs the
operation with the states right before and after it. For a ``CreateModel`` that
re-renders, every time, every model related to the new one; applying the 87
models of the schema from empty spent most of its time there (``benchmarks/
migrate_from_empty.py``), and sending its 500-odd DDL statements one round trip
at a time most of the rest.

``MigrationExecutor`` here applies a migration *at once* when that gives the
same result: it advances the state over all of the migration's operations
without rendering, renders the new models once, runs every operation against
that final state, and sends the statements to the server together
(``schema_editor(batch=True)``, ``americano.db.backend.batch``), recording the
migration in the same transaction. The rule, checked per migration:

* the migration is atomic (its statements commit together anyway), and
* every operation is one whose database work needs only the final state:
  ``CreateModel`` (which reads the model it creates, and no operation of such a
  migration changes that model afterwards), or an operation that changes no model
  state and reads none: the enum type operations (``americano.db.operations``) and
  ``CreateExtension`` (pgvector's ``VectorExtension``).

Anything else goes Django's own way, operation by operation: ``AddField``,
``AlterField``, ``RenameField`` (they read the states right before and after
them), ``RunPython`` (it runs code against the models), ``RunSQL`` (hand-written
SQL, often a deployment's: each statement stays visible in ``pg_stat_activity``
and keeps its own lock timeout), a non-atomic migration, ``--fake``,
``--fake-initial`` and unapplying. The schema and the ``django_migrations`` rows are
the same either way (``tests/test_executor.py`` compares ``pg_dump -s``), and
``sqlmigrate`` still prints each statement that runs.
"""

from django.contrib.postgres.operations import CreateExtension
from django.db.migrations import Migration, executor
from django.db.migrations.operations import CreateModel
from django.db.migrations.state import ProjectState

from americano.db.operations import EnumTypeOperation

#: Operations that change no model state, and whose database work reads none.
DATABASE_ONLY = (EnumTypeOperation, CreateExtension)


def applies_at_once(migration: Migration) -> bool:
    """Whether ``migration`` can be applied at once (the rule in the module docstring)."""
    return bool(migration.atomic) and all(_reads_final_state(op) for op in migration.operations)


def _reads_final_state(operation) -> bool:
    # Exactly CreateModel: a subclass may do more in database_forwards.
    return type(operation) is CreateModel or isinstance(operation, DATABASE_ONLY)


def advance_state(migration: Migration, state: ProjectState) -> ProjectState:
    """Advance ``state`` in place over ``migration``, rendering its new models once.

    ``CreateModel.state_forwards`` on a rendered state re-renders every related
    model; on a state without rendered apps it only records the model state. So
    the rendered apps are set aside while the operations run, and the new models
    are then rendered into them in one go, as ``StateApps`` renders a whole state.
    """
    if state.is_delayed:
        # Operations before this one re-rendered models lazily, and ``migrate`` renders a
        # delayed final state again in full. Rendering it in full now, before the new
        # models join, costs a fraction of that and leaves nothing delayed.
        state.clear_delayed_apps_cache()
        state.is_delayed = False
    rendered = state.__dict__.pop("apps", None)
    for operation in migration.operations:
        operation.state_forwards(migration.app_label, state)
    if rendered is None:
        state.apps  # noqa: B018  (renders the whole state, new models included)
    else:
        state.apps = rendered
        rendered.render_multiple(
            [
                state.models[migration.app_label, operation.name_lower]
                for operation in migration.operations
                if isinstance(operation, CreateModel)
            ]
        )
    return state


class MigrationExecutor(executor.MigrationExecutor):
    """Applies a migration at once where the rule allows, Django's way otherwise."""

    def apply_migration(self, state, migration, fake=False, fake_initial=False):
        if fake or fake_initial or not applies_at_once(migration):
            return super().apply_migration(state, migration, fake=fake, fake_initial=fake_initial)
        if self.progress_callback:
            self.progress_callback("apply_start", migration, fake)
        with self.connection.schema_editor(atomic=True, batch=True) as editor:
            state = advance_state(migration, state)
            for operation in migration.operations:
                # The final state serves as both sides: these operations read no other.
                operation.database_forwards(migration.app_label, editor, state, state)
            editor.execute_deferred()
            self.record_migration(migration)  # sends the script first, then records
        if self.progress_callback:
            self.progress_callback("apply_success", migration, fake)
        return state
