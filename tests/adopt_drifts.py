"""Drifts a production database may have, one kind each: how to make them, and the one
finding each must give (``tests/test_adopt.py``)."""

from dataclasses import dataclass

from tests.adopt_support import without_label
from tests.prisma_ddl import raw_sql_index

STRUGGLE_COLUMNS = ["userId", "predictionStatus", "predictedStruggleProbability"]
STRUGGLE_INDEX = "struggle_predictions_userId_predictionStatus_predictedStrug_idx"
# What PostgreSQL kept of the raw SQL's full name: its first 63 bytes.
STRUGGLE_CUT = "struggle_predictions_userId_predictionStatus_predictedStruggleP"


@dataclass(frozen=True)
class Drift:
    """One kind of drift: how to make it, and the one finding it must give."""

    sql: tuple[str, ...]
    #: (group, kind, object, attribute) of the only difference.
    found: tuple[str, str, str, str | None]
    #: Whether the finding's SQL alone mends it.
    mechanical: bool
    #: Text the finding's line, SQL, note or person line must hold.
    says: str


DRIFTS = {
    "column type": Drift(
        ('ALTER TABLE cards ALTER COLUMN "front" TYPE varchar(500)',),
        ("different", "column", "cards.front", "type"),
        False,
        "column cards.front: type is character varying(500) in the database, text in the history",
    ),
    "nullability": Drift(
        ('ALTER TABLE cards ALTER COLUMN "front" DROP NOT NULL',),
        ("different", "column", "cards.front", "nullable"),
        True,
        'ALTER TABLE "cards" ALTER COLUMN "front" SET NOT NULL',
    ),
    "default": Drift(
        ("""ALTER TABLE users ALTER COLUMN "missionDifficulty" SET DEFAULT 'HARD'""",),
        ("different", "column", "users.missionDifficulty", "default"),
        True,
        """ALTER TABLE "users" ALTER COLUMN "missionDifficulty" SET DEFAULT 'AUTO'::text""",
    ),
    "missing column": Drift(
        ('ALTER TABLE users DROP COLUMN "sharePeerCalibrationData"',),
        ("missing", "column", "users.sharePeerCalibrationData", None),
        True,
        'ADD COLUMN "sharePeerCalibrationData" boolean DEFAULT false NOT NULL',
    ),
    "missing column before others": Drift(
        ('ALTER TABLE users DROP COLUMN "name"',),
        ("missing", "column", "users.name", None),
        False,
        "the history has it before createdAt",
    ),
    "extra column": Drift(
        ("ALTER TABLE users ADD COLUMN nickname text",),
        ("extra", "column", "users.nickname", None),
        False,
        "column users.nickname: in the database, not built by the history",
    ),
    "missing index": Drift(
        ('DROP INDEX "cards_courseId_idx"',),
        ("missing", "index", "cards.cards_courseId_idx", None),
        True,
        'CREATE INDEX CONCURRENTLY "cards_courseId_idx" ON "cards" USING btree ("courseId")',
    ),
    "index on other columns": Drift(
        (
            'DROP INDEX "cards_nextReviewAt_idx"',
            'CREATE INDEX "cards_nextReviewAt_idx" ON cards ("courseId")',
        ),
        ("different", "index", "cards.cards_nextReviewAt_idx", "definition"),
        True,
        '"cards_nextReviewAt_idx_adopt" ON "cards" USING btree ("nextReviewAt")',
    ),
    "index under a name PostgreSQL cut": Drift(
        (f'DROP INDEX "{STRUGGLE_INDEX}"', raw_sql_index("struggle_predictions", STRUGGLE_COLUMNS)),
        ("named_otherwise", "index", f"struggle_predictions.{STRUGGLE_INDEX}", "name"),
        True,
        f'ALTER INDEX "{STRUGGLE_CUT}" RENAME TO "{STRUGGLE_INDEX}"',
    ),
    "unique index dropped": Drift(
        ("DROP INDEX users_email_key",),
        ("missing", "index", "users.users_email_key", None),
        True,
        'CREATE UNIQUE INDEX CONCURRENTLY "users_email_key" ON "users" USING btree (email)',
    ),
    "foreign key action": Drift(
        (
            'ALTER TABLE cards DROP CONSTRAINT "cards_lectureId_fkey", ADD CONSTRAINT '
            '"cards_lectureId_fkey" FOREIGN KEY ("lectureId") REFERENCES lectures (id)'
            " ON DELETE CASCADE ON UPDATE CASCADE",
        ),
        ("different", "foreign key", "cards.cards_lectureId_fkey", "definition"),
        True,
        "ON DELETE SET NULL NOT VALID",
    ),
    "enum label missing": Drift(
        tuple(without_label("ReviewPeriod", "MONTH")),
        ("different", "enum", "ReviewPeriod", "labels"),
        True,
        """ALTER TYPE "ReviewPeriod" ADD VALUE 'MONTH' AFTER 'WEEK'""",
    ),
    "enum label extra": Drift(
        ("""ALTER TYPE "MissionStatus" ADD VALUE 'PAUSED'""",),
        ("different", "enum", "MissionStatus", "labels"),
        False,
        "label PAUSED is not in the history",
    ),
    "missing table": Drift(
        ("DROP TABLE search_clicks",),
        ("missing", "table", "search_clicks", None),
        False,
        "a missing table",
    ),
    "vector dimension": Drift(
        ("ALTER TABLE concepts ALTER COLUMN embedding TYPE vector(768) USING NULL",),
        ("different", "column", "concepts.embedding", "type"),
        False,
        "embeddings of another size (vector(768), the history has vector(1536))",
    ),
}


#: Mechanical drifts together: the fix script must order them so that each statement works.
SEVERAL = (
    "nullability",
    "default",
    "missing column",
    "index on other columns",
    "index under a name PostgreSQL cut",
    "unique index dropped",
    "foreign key action",
    "enum label missing",
)
