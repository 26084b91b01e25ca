from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Learners, courses, lectures, objectives, missions, cards, reviews, study
    sessions, and the validation of understanding."""

    name = "learning"
