"""The demo data set of a development database: ``manage.py seed_demo``.

An app of its own, so that the shared package (``americano``) knows no domain:
this app knows ``learning``, ``content`` and ``behavior`` and builds their rows
with their factories; ``americano.ops.bulk`` writes them.
"""
