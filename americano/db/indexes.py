"""Indexes named the way Prisma names them."""

from django.db import models


class PrismaIndex(models.Index):
    """An ``Index`` whose name may use PostgreSQL's full 63 characters.

    Django caps index names at 30 characters (models.E034) for portability; Prisma's
    ``<table>_<columns>_idx`` names are often longer, and must stay as they are.
    """

    max_name_length = 63
