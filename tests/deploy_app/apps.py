from django.apps import AppConfig


class DeployAppConfig(AppConfig):
    """The pending migrations of one scenario (``AMERICANO_DEPLOY_SCENARIO``)."""

    name = "tests.deploy_app"
    label = "deploy_app"
