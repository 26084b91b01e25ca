"""The abstract base of every table the Prisma clients share."""

from django.db import models

from americano.db.fields import new_cuid


class CuidModel(models.Model):
    """A model whose primary key is a text cuid, as Prisma's ``@id @default(cuid())``."""

    id = models.TextField(primary_key=True, default=new_cuid, editable=False)

    class Meta:
        abstract = True
