"""A realistic, connected demo data set for a development database.

``seed_demo(users=N, seed=S)`` builds, with the apps' factories, N medical
students with courses, lectures (chunked, with embeddings), learning
objectives, cards, exams, and ``STUDY_WEEKS`` weeks of activity: daily
missions and study sessions, card reviews, behavioural events, context and
cognitive-load samples, searches, validation answers, and the analytics,
patterns, insights and recommendations computed from them. Shared reference
data (concepts, sources, First Aid sections, articles) comes first.

The same ``seed`` and ``until`` give the same rows, ids included: Python's
``random``, factory-boy's and Faker's generators are all seeded, every id comes
from the seeded generator, and every date is counted back from ``until``.
Only the ``updatedAt`` columns (Django's ``auto_now``) hold the time of the run.

Every demo id starts with ``DEMO_PREFIX``; ``delete_demo_data`` removes exactly
those rows. For speed, rows are written with ``COPY`` a hundred users at a
time, the event rows (reviews, behavioural events, context and cognitive-load
samples: most of the data) are built with their models rather than their
factories (a factory's ``build`` costs ten times a model's), and PostgreSQL
computes the chunk embeddings in one statement from a few hundred vectors.
"""

import datetime
import itertools
import math
import random
import string
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import factory.random
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.expressions import DatabaseDefault

from americano.ops.inspect import unindexed_foreign_keys
from americano.testing import EMBEDDING_DIMENSIONS
from behavior import factories as behavior_factories
from behavior import models as behavior_models
from behavior.enums import (
    BehavioralPatternType,
    BurnoutRiskLevel,
    CompletionQuality,
    EngagementLevel,
    EventType,
    InsightType,
    InterventionType,
    LocationType,
    MoodLevel,
    PredictionStatus,
    RecommendationType,
)
from content import factories as content_factories
from content import models as content_models
from content.enums import ContentSourceType, RelationshipType, SourceType
from learning import factories as learning_factories
from learning import models as learning_models
from learning.enums import (
    AchievementTier,
    AchievementType,
    AnalyticsPeriod,
    CardType,
    GoalPeriod,
    GoalType,
    MasteryLevel,
    MissionStatus,
    ObjectiveComplexity,
    PaceRating,
    ProcessingStatus,
    PromptType,
    ReviewRating,
)

#: Every id of a demo row starts with this, so that demo rows can be found and removed.
DEMO_PREFIX = "cdemo"
BASE36 = string.digits + string.ascii_lowercase
ID_DIGITS = 25 - len(DEMO_PREFIX)
#: Weeks of activity before ``until``.
STUDY_WEEKS = 6
#: Users built and written together.
USER_BATCH = 100
#: Noise vectors mixed into the topic vectors to make each chunk's embedding.
NOISE_VECTORS = 256

#: Courses a student takes, and the topics of their lectures.
SUBJECTS: dict[str, list[str]] = {
    "Gross Anatomy": [
        "Brachial plexus",
        "Inguinal canal",
        "Coronary circulation",
        "Pelvic floor",
        "Cranial nerves",
    ],
    "Physiology": [
        "Cardiac cycle",
        "Renal tubular transport",
        "Acid-base balance",
        "Pulmonary mechanics",
        "Action potentials",
    ],
    "Biochemistry": [
        "Glycolysis",
        "Urea cycle",
        "Lysosomal storage diseases",
        "Fatty acid oxidation",
        "DNA repair",
    ],
    "Pharmacology": [
        "Beta blockers",
        "Antibiotic mechanisms",
        "Anticoagulants",
        "Pharmacokinetics",
        "Antiepileptic drugs",
    ],
    "Pathology": [
        "Acute inflammation",
        "Neoplasia",
        "Atherosclerosis",
        "Hemodynamic disorders",
        "Amyloidosis",
    ],
    "Microbiology": [
        "Gram-positive cocci",
        "Enteric bacteria",
        "HIV",
        "Fungal infections",
        "Vaccines",
    ],
    "Immunology": [
        "Complement system",
        "Hypersensitivity reactions",
        "Antigen presentation",
        "Immunodeficiencies",
        "Transplant rejection",
    ],
    "Neuroscience": [
        "Spinal cord tracts",
        "Basal ganglia",
        "Stroke syndromes",
        "Sleep physiology",
        "Neurotransmitters",
    ],
}
TOPICS = [topic for topics in SUBJECTS.values() for topic in topics]
SUBJECT_CODES = {subject: f"MED{101 + i}" for i, subject in enumerate(SUBJECTS)}

OBJECTIVE_VERBS = ["Describe", "Explain", "Compare", "Predict", "Apply", "Identify"]
OBJECTIVE_ASPECTS = [
    "the mechanism of",
    "the clinical presentation of",
    "the regulation of",
    "the key structures of",
    "drug effects on",
    "lab findings in",
]
SEARCHES = ["mechanism", "first line treatment", "mnemonic", "side effects", "diagram"]

ProgressCallback = Callable[[str, int, int], None]


@dataclass
class SeedSummary:
    """What ``seed_demo`` wrote: rows per model label, and the chunks given an embedding."""

    rows: dict[str, int]
    embedded_chunks: int


class SeedError(Exception):
    """The database cannot take the demo data as it is."""


class DemoDataExists(SeedError):
    """Demo rows are already there, and ``replace`` was not asked for."""


@dataclass
class Rows:
    """Unsaved rows of each model, written together in dependency order."""

    by_model: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, obj: models.Model) -> models.Model:
        self.by_model[type(obj)].append(obj)
        return obj


#: The order rows are inserted in: every model after those it refers to.
WRITE_ORDER: list[type[models.Model]] = [
    content_models.Concept,
    content_models.ConceptRelationship,
    content_models.Source,
    content_models.FirstAidSection,
    behavior_models.LearningArticle,
    learning_models.User,
    learning_models.Course,
    learning_models.CoursePriority,
    learning_models.Exam,
    learning_models.Lecture,
    learning_models.LearningObjective,
    learning_models.ObjectivePrerequisite,
    content_models.ContentChunk,
    content_models.LectureFirstAidMapping,
    learning_models.Card,
    learning_models.Mission,
    learning_models.MissionFeedback,
    learning_models.StudySession,
    learning_models.Review,
    learning_models.ValidationPrompt,
    learning_models.ValidationResponse,
    learning_models.Streak,
    learning_models.MissionStreak,
    learning_models.Achievement,
    learning_models.StudyGoal,
    learning_models.MissionAnalytics,
    learning_models.PerformanceMetric,
    behavior_models.ContextMetadata,
    behavior_models.BehavioralEvent,
    behavior_models.CognitiveLoadMetric,
    content_models.SearchQuery,
    content_models.SearchClick,
    content_models.ContentRecommendation,
    behavior_models.ArticleRead,
    behavior_models.UserLearningProfile,
    behavior_models.PersonalizationPreferences,
    behavior_models.BehavioralPattern,
    behavior_models.BehavioralInsight,
    behavior_models.InsightPattern,
    behavior_models.BurnoutRiskAssessment,
    behavior_models.Recommendation,
    behavior_models.StrugglePrediction,
    behavior_models.InterventionRecommendation,
]


class DemoBuilder:
    """Builds the demo rows from one seeded generator; see the module."""

    def __init__(self, seed: int, until: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.end = datetime.datetime.combine(until, datetime.time(23, 59), datetime.UTC)
        self.start = self.end - datetime.timedelta(weeks=STUDY_WEEKS)
        self.concepts: dict[str, content_models.Concept] = {}
        self.articles: list[behavior_models.LearningArticle] = []
        self.first_aid: dict[str, content_models.FirstAidSection] = {}

    # -- helpers ------------------------------------------------------------

    def new_id(self) -> str:
        """A cuid-shaped id (25 characters) from the seeded generator."""
        number, digits = self.rng.getrandbits(104), []
        for _ in range(ID_DIGITS):
            number, digit = divmod(number, 36)
            digits.append(BASE36[digit])
        return DEMO_PREFIX + "".join(digits)

    def moment(self, day: datetime.datetime, hour: float) -> datetime.datetime:
        """``day`` at ``hour`` o'clock (fractions are minutes), to the millisecond."""
        midnight = day.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight + datetime.timedelta(milliseconds=round(hour * 3_600_000))

    def unit_vector(self) -> list[float]:
        values = [self.rng.gauss(0, 1) for _ in range(EMBEDDING_DIMENSIONS)]
        norm = math.sqrt(sum(v * v for v in values))
        return [round(v / norm, 5) for v in values]

    # -- shared reference data ----------------------------------------------

    def reference_data(self, rows: Rows) -> dict[str, list[float]]:
        """Concepts (one per topic, with its topic vector), sources, First Aid, articles."""
        vectors = {topic: self.unit_vector() for topic in TOPICS}
        when = self.start - datetime.timedelta(days=30)
        for subject, topics in SUBJECTS.items():
            for topic in topics:
                self.concepts[topic] = rows.add(
                    content_factories.ConceptFactory.build(
                        id=self.new_id(),
                        name=topic,
                        description=f"{topic}: a core topic of {subject}.",
                        category=subject,
                        embedding=vectors[topic],
                        created_at=when,
                    )
                )
            for before, after in itertools.pairwise(topics):
                rows.add(
                    content_factories.ConceptRelationshipFactory.build(
                        id=self.new_id(),
                        from_concept=self.concepts[before],
                        to_concept=self.concepts[after],
                        relationship=self.rng.choice(RelationshipType.values),
                        strength=round(self.rng.uniform(0.4, 1.0), 2),
                        created_at=when,
                    )
                )
        for name, kind in [
            ("First Aid for the USMLE Step 1", SourceType.FIRST_AID),
            ("Robbins Basic Pathology", SourceType.TEXTBOOK),
            ("Guyton and Hall Physiology", SourceType.TEXTBOOK),
            ("NEJM review articles", SourceType.JOURNAL),
            ("WHO treatment guidelines", SourceType.GUIDELINE),
        ]:
            rows.add(
                content_factories.SourceFactory.build(
                    id=self.new_id(),
                    name=name,
                    type=kind,
                    credibility_score=self.rng.randint(70, 99),
                    created_at=when,
                )
            )
        for page, topic in enumerate(TOPICS, start=40):
            subject = next(s for s, topics in SUBJECTS.items() if topic in topics)
            self.first_aid[topic] = rows.add(
                content_factories.FirstAidSectionFactory.build(
                    id=self.new_id(),
                    edition="2025",
                    year=2025,
                    system=subject,
                    section=topic,
                    page_number=page,
                    content=f"High-yield facts on {topic.lower()}.",
                    is_high_yield=self.rng.random() < 0.4,
                    created_at=when,
                )
            )
        for category, title in [
            ("SPACED_REPETITION", "Why spacing beats cramming"),
            ("ACTIVE_RECALL", "Test yourself before you review"),
            ("COGNITIVE_LOAD", "Study in focused blocks"),
            ("CIRCADIAN_RHYTHMS", "When your brain learns best"),
            ("LEARNING_STYLES", "Mixing formats for retention"),
        ]:
            self.articles.append(
                rows.add(
                    behavior_factories.LearningArticleFactory.build(
                        id=self.new_id(),
                        slug=title.lower().replace(" ", "-"),
                        title=title,
                        category=category,
                        summary=f"{title}: what the research says, in five minutes.",
                        reading_time_minutes=self.rng.randint(3, 9),
                        created_at=when,
                        published_at=when,
                    )
                )
            )
        return vectors

    # -- one student ----------------------------------------------------------

    def student(self, rows: Rows, number: int) -> None:
        """A student, their courses and lectures, and ``STUDY_WEEKS`` weeks of activity."""
        rng = self.rng
        joined = self.start - datetime.timedelta(days=rng.randint(7, 60))
        user = learning_factories.UserFactory.build(
            id=self.new_id(), email=f"student{number}@demo.americano.test", created_at=joined
        )
        user.preferred_study_time = rng.choice(["morning", "afternoon", "evening"])
        rows.add(user)
        study_hour = {"morning": 7.5, "afternoon": 14.0, "evening": 19.5}[user.preferred_study_time]

        objectives, cards, lectures, chunks = [], [], [], []
        for subject in rng.sample(list(SUBJECTS), rng.randint(2, 3)):
            course = rows.add(
                learning_factories.CourseFactory.build(
                    id=self.new_id(),
                    user=user,
                    name=subject,
                    code=SUBJECT_CODES[subject],
                    term="Fall 2026",
                    color=rng.choice(["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626"]),
                    created_at=joined,
                )
            )
            rows.add(
                learning_factories.CoursePriorityFactory.build(
                    id=self.new_id(),
                    user=user,
                    course=course,
                    priority_level=rng.choice(["LOW", "MEDIUM", "HIGH", "CRITICAL"]),
                    created_at=joined,
                )
            )
            rows.add(
                learning_factories.ExamFactory.build(
                    id=self.new_id(),
                    user=user,
                    course=course,
                    name=f"{subject} midterm",
                    date=self.end + datetime.timedelta(days=rng.randint(7, 40)),
                    coverage_topics=SUBJECTS[subject][:3],
                    created_at=joined,
                )
            )
            for week, topic in enumerate(rng.sample(SUBJECTS[subject], rng.randint(2, 3)), 1):
                lecture, lecture_objectives, lecture_chunks = self.lecture(
                    rows, user, course, topic, week, joined
                )
                lectures.append(lecture)
                chunks += lecture_chunks
                objectives += lecture_objectives
                for objective in lecture_objectives:
                    for _ in range(2):
                        cards.append(self.card(rows, course, lecture, objective, topic, joined))
        self.activity(rows, user, study_hour, objectives, cards, chunks)

    def lecture(
        self,
        rows: Rows,
        user: learning_models.User,
        course: learning_models.Course,
        topic: str,
        week: int,
        joined: datetime.datetime,
    ) -> tuple[
        learning_models.Lecture,
        list[learning_models.LearningObjective],
        list[content_models.ContentChunk],
    ]:
        rng = self.rng
        status = rng.choices(
            [ProcessingStatus.COMPLETED, ProcessingStatus.PROCESSING, ProcessingStatus.FAILED],
            [90, 7, 3],
        )[0]
        uploaded = joined + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(8, 20))
        pages = rng.randint(18, 60)
        lecture_file = f"{topic.lower().replace(' ', '-')}-week{week}.pdf"
        lecture = rows.add(
            learning_factories.LectureFactory.build(
                id=self.new_id(),
                user=user,
                course=course,
                title=f"{topic} (week {week})",
                file_name=lecture_file,
                file_url=f"https://files.demo.americano.test/{user.pk}/{lecture_file}",
                file_size=rng.randint(400_000, 9_000_000),
                processing_status=status,
                uploaded_at=uploaded,
                processed_at=uploaded + datetime.timedelta(minutes=rng.randint(2, 15))
                if status == ProcessingStatus.COMPLETED
                else None,
                week_number=week,
                topic_tags=[topic],
                total_pages=pages,
                processed_pages=pages if status == ProcessingStatus.COMPLETED else pages // 2,
                processing_progress=100 if status == ProcessingStatus.COMPLETED else 50,
                embedding_progress=1.0 if status == ProcessingStatus.COMPLETED else 0.0,
            )
        )
        chunks = [
            rows.add(
                content_factories.ContentChunkFactory.build(
                    id=self.new_id(),
                    lecture=lecture,
                    content=f"{topic}, part {index + 1}: " + " ".join(_sentences(rng, topic, 3)),
                    chunk_index=index,
                    page_number=1 + index * pages // 3,
                    created_at=uploaded,
                )
            )
            for index in range(3)
        ]
        rows.add(
            content_factories.LectureFirstAidMappingFactory.build(
                id=self.new_id(),
                lecture_id=lecture.pk,
                first_aid_section=self.first_aid[topic],
                confidence=round(rng.uniform(0.6, 0.98), 2),
                mapping_rationale=f"Both cover {topic.lower()}.",
                created_at=uploaded,
            )
        )
        objectives = []
        for _ in range(rng.randint(2, 3)):
            objective = rows.add(
                learning_factories.LearningObjectiveFactory.build(
                    id=self.new_id(),
                    lecture=lecture,
                    objective=f"{rng.choice(OBJECTIVE_VERBS)} {rng.choice(OBJECTIVE_ASPECTS)}"
                    f" {topic.lower()}",
                    is_high_yield=rng.random() < 0.35,
                    complexity=rng.choice(ObjectiveComplexity.values),
                    board_exam_tags=["USMLE Step 1"],
                    page_start=rng.randint(1, pages - 5),
                    created_at=uploaded,
                )
            )
            if objectives:
                rows.add(
                    learning_factories.ObjectivePrerequisiteFactory.build(
                        id=self.new_id(),
                        objective=objective,
                        prerequisite=objectives[-1],
                        strength=round(rng.uniform(0.5, 1), 2),
                    )
                )
            objectives.append(objective)
        return lecture, objectives, chunks

    def card(
        self,
        rows: Rows,
        course: learning_models.Course,
        lecture: learning_models.Lecture,
        objective: learning_models.LearningObjective,
        topic: str,
        joined: datetime.datetime,
    ) -> learning_models.Card:
        rng = self.rng
        return rows.add(
            learning_factories.CardFactory.build(
                id=self.new_id(),
                course=course,
                lecture=lecture,
                objective=objective,
                front=f"{topic}: {rng.choice(['What', 'Which', 'Why', 'How'])}"
                f" {rng.choice(['mechanism', 'finding', 'structure', 'drug'])} is key?",
                back=_sentences(rng, topic, 1)[0],
                card_type=rng.choices(CardType.values, [70, 20, 10])[0],
                created_at=joined,
                difficulty=round(rng.uniform(3, 7), 2),
                stability=round(rng.uniform(0.5, 3), 2),
            )
        )

    def activity(
        self,
        rows: Rows,
        user: learning_models.User,
        study_hour: float,
        objectives: list[learning_models.LearningObjective],
        cards: list[learning_models.Card],
        chunks: list[content_models.ContentChunk],
    ) -> None:
        """Study days: missions, sessions, reviews, events; then what is computed from them."""
        rng = self.rng
        diligence = rng.uniform(0.3, 0.85)
        days = [
            self.start + datetime.timedelta(days=d)
            for d in range(STUDY_WEEKS * 7)
            if rng.random() < diligence
        ]
        last_day = self.start + datetime.timedelta(days=STUDY_WEEKS * 7 - 1)
        streak = 0
        for day in days:
            streak = streak + 1 if day - datetime.timedelta(days=1) in days else 1
            self.study_day(rows, user, day, day == last_day, study_hour, objectives, cards)
        scores = {}
        for objective in objectives:
            weakness = round(rng.uniform(0.1, 0.9), 2)
            objective.weakness_score = weakness
            objective.mastery_level = MasteryLevel.values[min(4, int((1 - weakness) * 5))]
            objective.last_studied_at = days[-1] if days else None
            scores[objective] = weakness
        self.summaries(rows, user, days, streak, objectives, scores, chunks)

    def study_day(
        self,
        rows: Rows,
        user: learning_models.User,
        day: datetime.datetime,
        today: bool,
        study_hour: float,
        objectives: list[learning_models.LearningObjective],
        cards: list[learning_models.Card],
    ) -> None:
        rng = self.rng
        begin = self.moment(day, study_hour + rng.uniform(-1, 1.5))
        minutes = rng.choice([20, 30, 45, 50, 60])
        status = (
            rng.choice([MissionStatus.PENDING, MissionStatus.IN_PROGRESS])
            if today
            else rng.choices([MissionStatus.COMPLETED, MissionStatus.SKIPPED], [88, 12])[0]
        )
        chosen = rng.sample(objectives, min(len(objectives), 3))
        done = status == MissionStatus.COMPLETED
        actual = round(minutes * rng.uniform(0.7, 1.3)) if done else None
        mission = rows.add(
            learning_factories.MissionFactory.build(
                id=self.new_id(),
                user=user,
                date=self.moment(day, 6),
                status=status,
                estimated_minutes=minutes,
                completed_at=begin + datetime.timedelta(minutes=actual) if done else None,
                actual_minutes=actual,
                review_card_count=rng.randint(3, 8),
                new_content_count=rng.randint(0, 3),
                completed_objectives_count=len(chosen) if done else 0,
                objectives=[{"objectiveId": o.pk, "estimatedMinutes": 15} for o in chosen],
                difficulty_rating=rng.randint(1, 5) if done else None,
                success_score=round(rng.uniform(0.5, 1), 2) if done else None,
                recommended_start_time=self.moment(day, study_hour),
                actual_start_time=begin if status != MissionStatus.PENDING else None,
            )
        )
        if done and rng.random() < 0.3:
            rows.add(
                learning_factories.MissionFeedbackFactory.build(
                    id=self.new_id(),
                    user_id=user.pk,
                    mission=mission,
                    helpfulness_rating=rng.randint(3, 5),
                    relevance_score=rng.randint(3, 5),
                    pace_rating=rng.choices(PaceRating.values, [15, 70, 15])[0],
                    submitted_at=mission.completed_at,
                )
            )
        if status in (MissionStatus.SKIPPED, MissionStatus.PENDING):
            return
        reviewed = rng.sample(cards, min(len(cards), rng.randint(3, 6)))
        session = rows.add(
            learning_factories.StudySessionFactory.build(
                id=self.new_id(),
                user=user,
                mission=mission,
                started_at=begin,
                completed_at=mission.completed_at,
                duration_ms=actual * 60_000 if actual else None,
                reviews_completed=len(reviewed),
                new_cards_studied=rng.randint(0, 2),
                mission_objectives=mission.objectives,
            )
        )
        context = None
        if rng.random() < 0.5:
            context = rows.add(
                behavior_models.ContextMetadata(
                    id=self.new_id(),
                    user_id=user.pk,
                    timestamp=begin,
                    mood=rng.choice(MoodLevel.values),
                    energy_level=rng.randint(3, 9),
                    location=rng.choice(LocationType.values),
                    stress_level=rng.randint(2, 8),
                    sleep_hours=round(rng.uniform(5, 8.5), 1),
                    data_source="manual",
                )
            )
        engagement = rng.choice(EngagementLevel.values)
        event = self._event_factory(user, begin, context, engagement)
        rows.add(event(EventType.SESSION_STARTED, begin, {"sessionId": session.pk}))
        moment = begin
        for card in reviewed:
            moment += datetime.timedelta(seconds=rng.randint(20, 150))
            rating = rng.choices(ReviewRating.values, [12, 23, 50, 15])[0]
            stability = card.stability
            card.stability = round(stability * (0.5 if rating == "AGAIN" else 1.8), 2)
            card.review_count += 1
            card.lapse_count += rating == "AGAIN"
            card.last_reviewed_at = moment
            card.next_review_at = moment + datetime.timedelta(days=max(1, round(card.stability)))
            card.retrievability = round(rng.uniform(0.6, 0.98), 2)
            rows.add(
                learning_models.Review(
                    id=self.new_id(),
                    user=user,
                    card=card,
                    session=session,
                    rating=rating,
                    time_spent_ms=rng.randint(8_000, 90_000),
                    reviewed_at=moment,
                    difficulty_before=card.difficulty,
                    stability_before=stability,
                    difficulty_after=card.difficulty,
                    stability_after=card.stability,
                )
            )
            rows.add(event(EventType.CARD_REVIEWED, moment, {"cardId": card.pk, "rating": rating}))
        end = session.completed_at or moment
        rows.add(event(EventType.SESSION_ENDED, end, {"sessionId": session.pk}))
        if done:
            rows.add(event(EventType.MISSION_COMPLETED, end, {"missionId": mission.pk}))
        rows.add(
            behavior_models.CognitiveLoadMetric(
                id=self.new_id(),
                user_id=user.pk,
                session_id=session.pk,
                load_score=round(rng.uniform(20, 85), 1),
                stress_indicators={"pauses": rng.randint(0, 6)},
                confidence_level=round(rng.uniform(0.5, 0.95), 2),
                timestamp=end,
            )
        )

    def _event_factory(
        self,
        user: learning_models.User,
        begin: datetime.datetime,
        context: behavior_models.ContextMetadata | None,
        engagement: str,
    ) -> Callable[[str, datetime.datetime, dict[str, Any]], behavior_models.BehavioralEvent]:
        quality = self.rng.choice(CompletionQuality.values)

        def event(kind: str, when: datetime.datetime, data: dict[str, Any]) -> Any:
            return behavior_models.BehavioralEvent(
                id=self.new_id(),
                user_id=user.pk,
                event_type=kind,
                event_data=data,
                timestamp=when,
                day_of_week=when.weekday(),
                time_of_day=when.hour,
                engagement_level=engagement,
                completion_quality=quality if kind == EventType.SESSION_ENDED else None,
                content_type="flashcard" if kind == EventType.CARD_REVIEWED else None,
                context_metadata=context,
            )

        return event

    def summaries(
        self,
        rows: Rows,
        user: learning_models.User,
        days: list[datetime.datetime],
        streak: int,
        objectives: list[learning_models.LearningObjective],
        weakness: dict[learning_models.LearningObjective, float],
        chunks: list[content_models.ContentChunk],
    ) -> None:
        """Streaks, goals, analytics, patterns and recommendations computed from the activity."""
        rng = self.rng
        last = days[-1] if days else None
        rows.add(
            learning_factories.StreakFactory.build(
                id=self.new_id(),
                user=user,
                current_streak=streak,
                longest_streak=max(streak, rng.randint(1, 9)),
                last_study_date=last,
                created_at=self.start,
            )
        )
        rows.add(
            learning_factories.MissionStreakFactory.build(
                id=self.new_id(),
                user=user,
                current_streak=streak,
                longest_streak=max(streak, rng.randint(1, 9)),
                last_completed_date=last,
                created_at=self.start,
            )
        )
        for kind, tier in rng.sample(
            [
                (AchievementType.STREAK_MILESTONE, AchievementTier.BRONZE),
                (AchievementType.CARDS_MASTERED, AchievementTier.SILVER),
                (AchievementType.EARLY_BIRD, AchievementTier.BRONZE),
                (AchievementType.PERFECT_SESSION, AchievementTier.GOLD),
            ],
            rng.randint(1, 3),
        ):
            rows.add(
                learning_factories.AchievementFactory.build(
                    id=self.new_id(),
                    user=user,
                    type=kind,
                    tier=tier,
                    name=kind.label,
                    description=f"Earned for {kind.label.lower()}.",
                    earned_at=self.start + datetime.timedelta(days=rng.randint(0, 40)),
                )
            )
        rows.add(
            learning_factories.StudyGoalFactory.build(
                id=self.new_id(),
                user=user,
                goal_type=GoalType.TIME_BASED,
                target_value=300,
                current_progress=rng.randint(60, 300),
                period=GoalPeriod.WEEKLY,
                start_date=self.end - datetime.timedelta(days=6),
                end_date=self.end,
                created_at=self.end - datetime.timedelta(days=6),
            )
        )
        for week in range(STUDY_WEEKS):
            begin = self.start + datetime.timedelta(weeks=week)
            studied = sum(begin <= d < begin + datetime.timedelta(weeks=1) for d in days)
            rows.add(
                learning_factories.MissionAnalyticsFactory.build(
                    id=self.new_id(),
                    user_id=user.pk,
                    date=begin,
                    period=AnalyticsPeriod.WEEKLY,
                    missions_generated=7,
                    missions_completed=studied,
                    missions_skipped=7 - studied,
                    avg_completion_rate=round(studied / 7, 2),
                    avg_time_accuracy=round(rng.uniform(0.7, 1), 2),
                    avg_difficulty_rating=round(rng.uniform(2, 4), 2),
                    avg_success_score=round(rng.uniform(0.6, 0.95), 2),
                    created_at=begin + datetime.timedelta(weeks=1),
                )
            )
        for objective in objectives:
            rows.add(
                learning_factories.PerformanceMetricFactory.build(
                    id=self.new_id(),
                    user_id=user.pk,
                    learning_objective=objective,
                    date=self.end.replace(hour=0, minute=0),
                    retention_score=round(1 - weakness[objective], 2),
                    study_time_ms=rng.randint(5, 90) * 60_000,
                    review_count=rng.randint(2, 20),
                    correct_reviews=rng.randint(1, 15),
                    incorrect_reviews=rng.randint(0, 6),
                )
            )
        weakest = max(objectives, key=weakness.get)
        prompt = rows.add(
            learning_factories.ValidationPromptFactory.build(
                id=self.new_id(),
                prompt_text=f"Explain to a patient: {weakest.objective.lower()}.",
                prompt_type=PromptType.EXPLAIN_TO_PATIENT,
                concept_name=weakest.objective,
                objective_id=weakest.pk,
                created_at=self.start,
            )
        )
        if last:
            rows.add(
                learning_factories.ValidationResponseFactory.build(
                    id=self.new_id(),
                    prompt=prompt,
                    user_id=user.pk,
                    user_answer="It is about how the body keeps things in balance.",
                    ai_evaluation="Correct idea; name the mechanism.",
                    score=round(rng.uniform(0.4, 0.95), 2),
                    confidence_level=rng.randint(1, 5),
                    responded_at=last + datetime.timedelta(hours=12),
                )
            )
        searches = []
        for _ in range(rng.randint(2, 5)):
            when = self.start + datetime.timedelta(
                days=rng.randint(0, 41), hours=rng.randint(8, 22)
            )
            searches.append(
                rows.add(
                    content_factories.SearchQueryFactory.build(
                        id=self.new_id(),
                        user_id=user.pk,
                        query=f"{rng.choice(objectives).lecture.topic_tags[0]}"
                        f" {rng.choice(SEARCHES)}",
                        result_count=rng.randint(0, 25),
                        response_time_ms=rng.randint(40, 600),
                        timestamp=when,
                    )
                )
            )
        for search in searches:
            if search.result_count and rng.random() < 0.6:
                rows.add(
                    content_factories.SearchClickFactory.build(
                        id=self.new_id(),
                        search_query=search,
                        user_id=user.pk,
                        result_id=rng.choice(chunks).lecture_id,
                        result_type="lecture",
                        position=rng.randint(1, 5),
                        similarity=round(rng.uniform(0.6, 0.95), 3),
                        timestamp=search.timestamp + datetime.timedelta(seconds=rng.randint(3, 40)),
                    )
                )
        for article in rng.sample(self.articles, rng.randint(0, 2)):
            rows.add(
                behavior_factories.ArticleReadFactory.build(
                    id=self.new_id(),
                    user_id=user.pk,
                    article=article,
                    read_at=self.start + datetime.timedelta(days=rng.randint(0, 41)),
                    read_duration_seconds=rng.randint(60, 600),
                    completed_read=rng.random() < 0.7,
                )
            )
        rows.add(
            behavior_factories.UserLearningProfileFactory.build(
                id=self.new_id(),
                user_id=user.pk,
                preferred_study_times=[{"dayOfWeek": d, "hour": 19} for d in range(5)],
                average_session_duration=rng.randint(20, 60),
                optimal_session_duration=rng.choice([25, 40, 50]),
                content_preferences={"flashcards": 0.6, "lectures": 0.4},
                learning_style_profile={"visual": 0.4, "reading": 0.3, "kinesthetic": 0.3},
                personalized_forgetting_curve={"halfLifeDays": round(rng.uniform(2, 9), 1)},
                last_analyzed_at=self.end,
                data_quality_score=round(rng.uniform(0.5, 1), 2),
            )
        )
        rows.add(
            behavior_factories.PersonalizationPreferencesFactory.build(
                id=self.new_id(), user_id=user.pk, created_at=self.start
            )
        )
        pattern = rows.add(
            behavior_factories.BehavioralPatternFactory.build(
                id=self.new_id(),
                user_id=user.pk,
                pattern_type=BehavioralPatternType.OPTIMAL_STUDY_TIME,
                pattern_name=f"Studies best in the {user.preferred_study_time}",
                pattern_data={"preferredTime": user.preferred_study_time},
                confidence=round(rng.uniform(0.6, 0.95), 2),
                occurrence_count=len(days),
                first_detected_at=self.start,
                last_seen_at=last or self.start,
                detected_at=self.start + datetime.timedelta(weeks=2),
            )
        )
        insight = rows.add(
            behavior_factories.BehavioralInsightFactory.build(
                id=self.new_id(),
                user_id=user.pk,
                insight_type=InsightType.STUDY_TIME_OPTIMIZATION,
                title=f"Keep studying in the {user.preferred_study_time}",
                description="Your recall is highest at this time of day.",
                actionable_recommendation="Schedule reviews then.",
                confidence=pattern.confidence,
                created_at=self.start + datetime.timedelta(weeks=2),
            )
        )
        rows.add(
            behavior_factories.InsightPatternFactory.build(
                id=self.new_id(), insight=insight, pattern=pattern
            )
        )
        risk = rng.uniform(0.05, 0.8)
        rows.add(
            behavior_factories.BurnoutRiskAssessmentFactory.build(
                id=self.new_id(),
                user_id=user.pk,
                risk_score=round(risk * 100, 1),
                risk_level=BurnoutRiskLevel.values[min(3, int(risk * 4))],
                contributing_factors={"studyDaysPerWeek": round(len(days) / STUDY_WEEKS, 1)},
                assessment_date=self.end,
            )
        )
        rows.add(
            behavior_factories.RecommendationFactory.build(
                id=self.new_id(),
                user_id=user.pk,
                recommendation_type=RecommendationType.CONSISTENCY_BUILDING,
                title="Study a little every day",
                description="Short daily sessions keep your streak and your recall.",
                actionable_text="Plan 30 minutes each evening.",
                source_pattern_ids=[pattern.pk],
                source_insight_ids=[insight.pk],
                created_at=self.end - datetime.timedelta(days=2),
            )
        )
        prediction = rows.add(
            behavior_factories.StrugglePredictionFactory.build(
                id=self.new_id(),
                user_id=user.pk,
                learning_objective=weakest,
                predicted_struggle_probability=weakness[weakest],
                prediction_confidence=round(rng.uniform(0.6, 0.9), 2),
                prediction_status=rng.choice(PredictionStatus.values[:2]),
                struggling_factors={"weaknessScore": weakness[weakest]},
                prediction_date=self.end,
                predicted_at=self.end,
            )
        )
        rows.add(
            behavior_factories.InterventionRecommendationFactory.build(
                id=self.new_id(),
                user_id=user.pk,
                prediction=prediction,
                intervention_type=InterventionType.PREREQUISITE_REVIEW,
                description=f"Review the basics before {weakest.objective.lower()}.",
                reasoning="Low retention on this objective's prerequisites.",
                priority=rng.randint(5, 9),
                related_objective_id=weakest.pk,
                created_at=self.end,
            )
        )
        recommended, source = rng.sample(chunks, 2)
        rows.add(
            content_factories.ContentRecommendationFactory.build(
                id=self.new_id(),
                user_id=user.pk,
                recommended_content=recommended,
                source_content=source,
                score=round(rng.uniform(0.6, 0.95), 2),
                reasoning="Similar content to what you studied last.",
                context_type="lecture",
                context_id=source.lecture_id,
                source_type=ContentSourceType.LECTURE,
                created_at=self.end - datetime.timedelta(days=1),
            )
        )


def _sentences(rng: random.Random, topic: str, count: int) -> list[str]:
    """Plain sentences about ``topic``, varied enough to search."""
    templates = [
        "{t} is tested often: know the mechanism before the exceptions.",
        "Clinical vignettes on {t} hinge on the timing of symptoms.",
        "A common error on {t} is confusing the first-line and the backup choice.",
        "Draw the pathway of {t} from memory, then check each step.",
        "{t} links to the previous lecture through its regulation.",
        "Lab values in {t} questions point to the answer before the history does.",
    ]
    return [rng.choice(templates).format(t=topic.lower()) for _ in range(count)]


# -- writing -------------------------------------------------------------------


def pending_migrations() -> list[str]:
    """``app.name`` of the migrations not applied to the database."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def has_demo_data() -> bool:
    return learning_models.User.objects.filter(pk__startswith=DEMO_PREFIX).exists()


def delete_demo_data() -> dict[str, int]:
    """Delete every demo row (id starting with ``DEMO_PREFIX``); ``{model label: rows}``.

    Deleting a row makes PostgreSQL look up the rows that refer to it; where no
    index leads with the foreign key that is a scan per deleted row. Such
    indexes are created for the deletion and dropped after it, in the same
    transaction, so nobody else ever sees them.
    """
    quote = connection.ops.quote_name
    deleted = {}
    with transaction.atomic(), connection.cursor() as cursor:
        helpers = []
        for number, key in enumerate(unindexed_foreign_keys()):
            helpers.append(quote(f"demo_delete_{number}"))
            columns = ", ".join(quote(c) for c in key.columns)
            cursor.execute(f"CREATE INDEX {helpers[-1]} ON {quote(key.table)} ({columns})")
        for model in reversed(WRITE_ORDER):
            table = quote(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE id LIKE %s", [DEMO_PREFIX + "%"])
            if cursor.rowcount:
                deleted[model._meta.label] = cursor.rowcount
        for index in helpers:
            cursor.execute(f"DROP INDEX {index}")
    return deleted


def _write(rows: Rows, counts: dict[str, int]) -> None:
    """COPY each model's rows, parents first (faster than INSERT by a factor of several)."""
    for model in WRITE_ORDER:
        objects = rows.by_model.pop(model, [])
        if objects:
            _copy(model, objects)
            counts[model._meta.label] = counts.get(model._meta.label, 0) + len(objects)
    if rows.by_model:
        raise SeedError(f"no write order for {', '.join(m.__name__ for m in rows.by_model)}")


def _copy(model: type[models.Model], objects: list[models.Model]) -> None:
    """``COPY`` ``objects`` into the model's table, each value prepared as ``save()`` would.

    A column left to its database default (``DatabaseDefault``) in every row is
    left out, so that PostgreSQL fills it.
    """
    fields = [
        f
        for f in model._meta.concrete_fields
        if not all(isinstance(getattr(o, f.attname), DatabaseDefault) for o in objects)
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


def _embed_chunks(builder: DemoBuilder, topic_vectors: dict[str, list[float]]) -> int:
    """Give the chunks of processed demo lectures embeddings: topic vector plus noise.

    PostgreSQL mixes the vectors, so that Python sends a few hundred vectors
    rather than one per chunk; the noise vector is picked by a hash of the
    chunk's (seeded) id, so the result is as deterministic as the ids.

    Adding rows to an HNSW index one by one costs milliseconds each, five times
    what building it does: the table's vector indexes are dropped for the
    update and built again from their own definitions, in the same transaction.
    """
    noise = [[round(v * 0.6, 5) for v in builder.unit_vector()] for _ in range(NOISE_VECTORS)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND tablename = 'content_chunks'"
            " AND indexdef ~ ' USING (hnsw|ivfflat) '"
        )
        vector_indexes = []
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            vector_indexes.append(definition)
        cursor.execute(
            "CREATE TEMPORARY TABLE demo_vectors (name text PRIMARY KEY, v vector) ON COMMIT DROP"
        )
        cursor.executemany(
            "INSERT INTO demo_vectors VALUES (%s, %s::vector)",
            [(topic, _vector_text(v)) for topic, v in topic_vectors.items()]
            + [(f"noise {i}", _vector_text(v)) for i, v in enumerate(noise)],
        )
        cursor.execute(
            """
            UPDATE content_chunks c
            SET embedding = l2_normalize(t.v + n.v)
            FROM lectures l, demo_vectors t, demo_vectors n
            WHERE c."lectureId" = l.id
              AND l."processingStatus" = 'COMPLETED'
              AND t.name = l."topicTags"[1]
              AND n.name = 'noise ' || (abs(hashtext(c.id)::bigint) %% %s)
              AND c.id LIKE %s
              AND c.embedding IS NULL
            """,
            [NOISE_VECTORS, DEMO_PREFIX + "%"],
        )
        embedded = cursor.rowcount
        cursor.execute("DROP TABLE demo_vectors")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for definition in vector_indexes:
            cursor.execute(definition)
        return embedded


def _vector_text(values: list[float]) -> str:
    return "[" + ",".join(map(str, values)) + "]"


def _batches(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


def seed_demo(
    users: int,
    seed: int,
    *,
    until: datetime.date | None = None,
    replace: bool = False,
    progress: ProgressCallback | None = None,
) -> SeedSummary:
    """Write the demo data set (see the module) in one transaction.

    With ``replace``, the demo rows already there are deleted first (same transaction);
    without it, existing demo rows are an error.
    """
    if users < 1:
        raise SeedError("the number of users must be 1 or more")
    pending = pending_migrations()
    if pending:
        raise SeedError(f"{len(pending)} migrations not applied (first {pending[0]}): run migrate")
    if has_demo_data() and not replace:
        raise DemoDataExists("the database already holds demo data")
    random.seed(seed)
    factory.random.reseed_random(seed)
    builder = DemoBuilder(seed, until or datetime.datetime.now(datetime.UTC).date())
    report = progress or (lambda stage, done, total: None)
    counts: dict[str, int] = {}
    with transaction.atomic():
        if replace:
            delete_demo_data()
        rows = Rows()
        topic_vectors = builder.reference_data(rows)
        _write(rows, counts)
        report("users", 0, users)
        for batch in _batches(users, USER_BATCH):
            rows = Rows()
            for number in batch:
                builder.student(rows, number + 1)
            _write(rows, counts)
            report("users", batch.stop, users)
        report("embeddings", 0, 1)
        embedded = _embed_chunks(builder, topic_vectors)
        report("embeddings", 1, 1)
    return SeedSummary(counts, embedded)
