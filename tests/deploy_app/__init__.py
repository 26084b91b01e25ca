"""Test-only apps for ``migrate_deploy``: pending migrations of every kind a deploy meets.

Installed only by ``tests/deploy_settings.py``, which the child processes of the
deployment tests run with (the suite's own settings never install them, so the
test database never applies them). ``deploy_base`` (``base/``) creates the
table ``deploy_items``; the tests' template database has it applied. The app
``deploy_app`` itself has no migrations of its own: ``AMERICANO_DEPLOY_SCENARIO``
picks one package of ``scenarios/`` as its migrations, each a short story
building on ``deploy_base``.
"""
