"""The abstract base of every table the Prisma clients share.

Besides the primary key, the base carries two pieces of metadata that each model
declares for itself, so that the shared tools (the ERDs, the admin) read them
from the model and never keep lists of domain names:

* ``soft_references``: ``{field name: "app.Model"}`` for text columns that hold
  another row's id without a foreign key (Prisma's analytics tables name their
  user by ``userId`` alone); the diagrams draw them dashed, the admin links them.
* ``prose_fields``: the text columns that hold prose rather than a name, a code
  or an id; the admin edits them in a text area, the others on one line.
* ``prisma_model``: the model's name in Prisma's schema where it is not the class
  name (``conflicts``): the Prisma clients call it by that name, and
  ``export_prisma_schema`` writes it.

They are plain class attributes, not ``Meta`` options (Django refuses unknown
ones) nor field arguments (those would reach the migrations).
"""

from typing import ClassVar

from django.db import models

from americano.db.fields import new_cuid


class CuidModel(models.Model):
    """A model whose primary key is a text cuid, as Prisma's ``@id @default(cuid())``."""

    id = models.TextField(primary_key=True, default=new_cuid, editable=False)

    #: Text columns holding another row's id without a foreign key: {field: "app.Model"}.
    soft_references: ClassVar[dict[str, str]] = {}
    #: Text columns edited in a text area.
    prose_fields: ClassVar[frozenset[str]] = frozenset()
    #: The Prisma model name, where it is not the class name.
    prisma_model: ClassVar[str | None] = None

    class Meta:
        abstract = True
