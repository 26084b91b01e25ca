"""The chunk embeddings of the demo lectures, computed by PostgreSQL in one statement.

Each chunk of a processed demo lecture gets its topic's vector plus noise,
normalised, so that a chunk is nearest to its topic's concept. PostgreSQL mixes
the vectors, so that Python sends a few hundred vectors rather than one per
chunk; the noise vector is picked by a hash of the chunk's (seeded) id, so the
result is as deterministic as the ids.
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

from demo.builder.context import DEMO_PREFIX, Demo

#: Noise vectors mixed into the topic vectors to make each chunk's embedding.
NOISE_VECTORS = 256

EMBED_SQL = """
UPDATE content_chunks c
SET embedding = l2_normalize(t.v + n.v)
FROM lectures l, demo_vectors t, demo_vectors n
WHERE c."lectureId" = l.id
  AND l."processingStatus" = 'COMPLETED'
  AND t.name = l."topicTags"[1]
  AND n.name = 'noise ' || (abs(hashtext(c.id)::bigint) %% %s)
  AND c.id LIKE %s
  AND c.embedding IS NULL
"""


def embed_chunks(
    connection: BaseDatabaseWrapper, demo: Demo, topic_vectors: dict[str, list[float]]
) -> int:
    """Give the chunks of processed demo lectures their embeddings; how many got one.

    Adding rows to an HNSW index one by one costs milliseconds each, five times
    what building it does: the table's vector indexes are dropped for the
    update and built again from their own definitions, in the same transaction.
    """
    noise = [[round(v * 0.6, 5) for v in demo.unit_vector()] for _ in range(NOISE_VECTORS)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND tablename = 'content_chunks'"
            " AND indexdef ~ ' USING (hnsw|ivfflat) '"
        )
        vector_indexes = []
        for name, definition in cursor.fetchall():
            cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
            vector_indexes.append(definition)
        cursor.execute(
            "CREATE TEMPORARY TABLE demo_vectors (name text PRIMARY KEY, v vector) ON COMMIT DROP"
        )
        cursor.executemany(
            "INSERT INTO demo_vectors VALUES (%s, %s::vector)",
            [(topic, _vector_text(v)) for topic, v in topic_vectors.items()]
            + [(f"noise {i}", _vector_text(v)) for i, v in enumerate(noise)],
        )
        cursor.execute(EMBED_SQL, [NOISE_VECTORS, DEMO_PREFIX + "%"])
        embedded = cursor.rowcount
        cursor.execute("DROP TABLE demo_vectors")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for definition in vector_indexes:
            cursor.execute(definition)
        return embedded


def _vector_text(values: list[float]) -> str:
    return "[" + ",".join(map(str, values)) + "]"
