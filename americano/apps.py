from django.apps import AppConfig


class AmericanoConfig(AppConfig):
    """The project's own app: management commands and system checks."""

    name = "americano"
    verbose_name = "Americano database"

    def ready(self):
        from americano.db import checks  # noqa: F401  (registers the checks)
        from americano.ops import signals  # noqa: F401  (records migration checksums)
