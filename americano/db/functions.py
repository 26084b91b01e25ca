"""SQL expressions that Prisma's DDL uses as column defaults."""

from django.db.models import Func


class CurrentTimestamp(Func):
    """``CURRENT_TIMESTAMP``: Prisma's ``@default(now())``.

    Django's ``Now()`` compiles to ``STATEMENT_TIMESTAMP()`` on PostgreSQL, which
    would make every ``createdAt`` default differ from the production schema.
    """

    template = "CURRENT_TIMESTAMP"
    arity = 0

    def __init__(self, **extra):
        from americano.db.fields import TimestampField

        extra.setdefault("output_field", TimestampField())
        super().__init__(**extra)

    def deconstruct(self):
        return "americano.db.functions.CurrentTimestamp", (), {}
