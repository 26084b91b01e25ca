from django.apps import AppConfig


class BackfillRecipesConfig(AppConfig):
    """The recipes of "Changing data safely", on a table shaped like behavioral_events."""

    name = "tests.backfill_recipes"
    label = "backfill_recipes"
    default_auto_field = "django.db.models.BigAutoField"
