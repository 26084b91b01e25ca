"""``makemigrations`` that keeps the Prisma schema's shape.

What Django's autodetector does not do, added here:

* Speed. Indexes and unique sets of a new model go into its ``CreateModel``,
  where they cost no extra rendering of the migration state.
* Column order. Django writes foreign keys as separate ``AddField`` operations
  and the optimizer folds them back at the end of ``CreateModel``, which moves
  those columns to the end of the table. Raw SQL and ``COPY`` without a column
  list depend on the order, so each ``CreateModel`` gets its model's order back.
* Enum types and the pgvector extension. They are not model state; the
  history's types are replayed from the migration graph, compared with the
  declared ``DatabaseEnum`` classes, and the difference becomes enum operations;
  the first app with a vector column creates the extension.
"""

from django.contrib.postgres.operations import CreateExtension
from django.db.migrations import operations
from django.db.migrations.autodetector import MigrationAutodetector
from pgvector.django import VectorExtension, VectorField

from americano.db.enums import declared_enum_types
from americano.db.fields import EnumField
from americano.db.history import history
from americano.db.operations import (
    AddEnumValue,
    CreateEnumType,
    DropEnumType,
    RemoveEnumValue,
    replay_enum_types,
)


def history_extensions(migrations) -> set[str]:
    return {
        operation.name
        for _, migration in migrations
        for operation in migration.operations
        if isinstance(operation, CreateExtension)
    }


def vector_apps(state) -> list[str]:
    """The apps with a pgvector column, in model order."""
    return [
        app_label
        for (app_label, _), model_state in sorted(state.models.items())
        if any(isinstance(field, VectorField) for field in model_state.fields.values())
    ]


def _place(labels: list[str], position: int) -> dict[str, str]:
    """Where ``labels[position]`` sits: after its predecessor, or before the next label."""
    if position:
        return {"after": labels[position - 1]}
    return {"before": labels[1]} if len(labels) > 1 else {}


def enum_changes(before: dict, after: dict) -> list[tuple[str, operations.base.Operation]]:
    """The ``(owning app, operation)`` pairs that turn enum types ``before`` into ``after``."""
    changes = []
    for name, (app_label, labels) in after.items():
        if name not in before:
            changes.append((app_label, CreateEnumType(name, labels)))
            continue
        old = before[name][1]
        for position, value in enumerate(old):
            if value not in labels:
                changes.append((app_label, RemoveEnumValue(name, value, **_place(old, position))))
        kept = [value for value in old if value in labels]
        for position, value in enumerate(labels):
            if value not in old:
                place = _place(labels, position) if position else _place([value, *kept], 0)
                changes.append((app_label, AddEnumValue(name, value, **place)))
    for name, (app_label, labels) in before.items():
        if name not in after:
            changes.append((app_label, DropEnumType(name, labels)))
    return changes


def _enum_types_used(operation) -> set[str]:
    if isinstance(operation, operations.CreateModel):
        fields = [field for _, field in operation.fields]
    elif isinstance(operation, (operations.AddField, operations.AlterField)):
        fields = [operation.field]
    else:
        return set()
    return {field.enum_type for field in fields if isinstance(field, EnumField)}


class SchemaAutodetector(MigrationAutodetector):
    def _detect_changes(self, convert_apps=None, graph=None):
        self.graph = graph
        return super()._detect_changes(convert_apps, graph)

    def _sort_migrations(self):
        super()._sort_migrations()
        if self.graph is None:
            return
        self.enum_types = declared_enum_types()
        migrations = history(self.graph)
        changes = enum_changes(replay_enum_types(migrations), self.enum_types)
        users = vector_apps(self.to_state)
        if users and "vector" not in history_extensions(migrations):
            changes.insert(0, (users[0], VectorExtension()))
        # Types and labels exist before the fields that use them; removals come
        # after the fields that used them are gone.
        first, last = {}, {}
        for app_label, operation in changes:
            operation._auto_deps = []
            creates = isinstance(operation, (CreateExtension, CreateEnumType, AddEnumValue))
            (first if creates else last).setdefault(app_label, []).append(operation)
        for app_label in first.keys() | last.keys():
            self.generated_operations[app_label] = [
                *first.get(app_label, []),
                *self.generated_operations.get(app_label, []),
                *last.get(app_label, []),
            ]

    def _build_migration_list(self, graph=None):
        super()._build_migration_list(graph)
        if self.graph is not None:
            self._depend_on_enum_owners(graph)

    def _depend_on_enum_owners(self, graph):
        """A field of another app's enum type waits for that app's migrations."""
        for app_label, migrations in self.migrations.items():
            for migration in migrations:
                for operation in migration.operations:
                    for enum_type in _enum_types_used(operation):
                        owner = self.enum_types.get(enum_type, (app_label,))[0]
                        if owner == app_label:
                            continue
                        if self.migrations.get(owner):
                            dependency = (owner, self.migrations[owner][0].name)
                        elif graph and graph.leaf_nodes(owner):
                            dependency = graph.leaf_nodes(owner)[0]
                        else:
                            dependency = (owner, "__first__")
                        if dependency not in migration.dependencies:
                            migration.dependencies.append(dependency)

    def _optimize_migrations(self):
        super()._optimize_migrations()
        for app_label, migrations in self.migrations.items():
            for migration in migrations:
                fold_foreign_keys(app_label, migration)
                fold_indexes(migration)
                for operation in migration.operations:
                    if isinstance(operation, operations.CreateModel):
                        self._restore_field_order(app_label, operation)

    def _restore_field_order(self, app_label, operation):
        model_state = self.to_state.models.get((app_label, operation.name_lower))
        if model_state is not None:
            order = {name: position for position, name in enumerate(model_state.fields)}
            operation.fields = sorted(
                operation.fields, key=lambda item: order.get(item[0], len(order))
            )


def _related_model_key(field, app_label):
    model = field.remote_field.model
    if not isinstance(model, str):
        return model._meta.app_label, model._meta.model_name
    target_app, _, name = model.rpartition(".")
    return target_app or app_label, name.lower()


def fold_foreign_keys(app_label, migration) -> None:
    """Move ``AddField``s of models created in ``migration`` into their ``CreateModel``.

    The ``CreateModel`` operations are reordered so that each comes after the
    models it references; a reference cycle leaves the migration as it was.
    """
    creates = {
        op.name_lower: op for op in migration.operations if isinstance(op, operations.CreateModel)
    }
    added = [
        op
        for op in migration.operations
        if isinstance(op, operations.AddField) and op.model_name_lower in creates
    ]
    if not added:
        return
    fields = {name: list(op.fields) for name, op in creates.items()}
    for op in added:
        fields[op.model_name_lower].append((op.name, op.field))
    needs = {
        name: {
            target
            for _, field in model_fields
            if field.is_relation
            for target_app, target in [_related_model_key(field, app_label)]
            if target_app == app_label and target in creates and target != name
        }
        for name, model_fields in fields.items()
    }
    ordered, placed = [], set()
    while len(ordered) < len(creates):
        ready = [name for name in creates if name not in placed and needs[name] <= placed]
        if not ready:
            return  # a cycle: Django's separate AddField is needed
        ordered.append(ready[0])
        placed.add(ready[0])
    for name, op in creates.items():
        op.fields = fields[name]
    first = migration.operations.index(next(iter(creates.values())))
    preamble = migration.operations[:first]
    rest = [
        op
        for op in migration.operations[first:]
        if not isinstance(op, operations.CreateModel) and op not in added
    ]
    migration.operations = preamble + [creates[name] for name in ordered] + rest


def fold_indexes(migration) -> None:
    """Move ``AddIndex`` / ``AddConstraint`` of models created here into ``CreateModel``.

    Each separate operation re-renders its model and every related one in the
    migration state; inside ``CreateModel`` options they cost nothing, and the
    DDL is the same.
    """
    creates = {
        op.name_lower: op for op in migration.operations if isinstance(op, operations.CreateModel)
    }
    kept = []
    for op in migration.operations:
        if isinstance(op, operations.AddIndex) and op.model_name_lower in creates:
            options = creates[op.model_name_lower].options
            options["indexes"] = [*options.get("indexes", []), op.index]
        elif isinstance(op, operations.AddConstraint) and op.model_name_lower in creates:
            options = creates[op.model_name_lower].options
            options["constraints"] = [*options.get("constraints", []), op.constraint]
        else:
            kept.append(op)
    migration.operations = kept
