from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (no models of its own): the builder and ``seed_demo``."""

    name = "demo"
