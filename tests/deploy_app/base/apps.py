from django.apps import AppConfig


class DeployBaseConfig(AppConfig):
    """``deploy_items``: applied in the template database of the deployment tests."""

    name = "tests.deploy_app.base"
    label = "deploy_base"
