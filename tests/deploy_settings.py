"""Settings of the child processes of the deployment tests: the project's, plus the test-only
apps of ``tests/deploy_app`` (never the suite's own settings: the test database must not
apply them). ``AMERICANO_DEPLOY_SCENARIO`` names the package of ``deploy_app``'s
migrations (``tests/deploy_app/scenarios/<name>``); without it the app has none."""

import os

from americano.settings import *  # noqa: F403
from americano.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.deploy_app.base", "tests.deploy_app"]

_scenario = os.environ.get("AMERICANO_DEPLOY_SCENARIO")
MIGRATION_MODULES = {
    "deploy_app": f"tests.deploy_app.scenarios.{_scenario}" if _scenario else None,
}
