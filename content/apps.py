from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Lecture chunks and their embeddings, concepts, First Aid, source conflicts,
    content recommendations and search."""

    name = "content"
