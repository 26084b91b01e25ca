from django.apps import AppConfig


class BehaviorConfig(AppConfig):
    """Behavioural events, patterns and insights, experiments, personalization,
    predictions and interventions, goals, cognitive load and burnout."""

    name = "behavior"
