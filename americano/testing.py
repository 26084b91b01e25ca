"""Helpers for tests and demo data that the domain apps' factories share."""

import random

EMBEDDING_DIMENSIONS = 1536


def random_embedding(rng: random.Random | None = None) -> list[float]:
    """A random unit-ish vector of the width the schema's embedding columns hold."""
    rng = rng or random
    return [rng.uniform(-1, 1) for _ in range(EMBEDDING_DIMENSIONS)]
