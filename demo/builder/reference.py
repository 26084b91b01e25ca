"""The shared reference data: concepts with their topic vectors, sources, First Aid, articles."""

import datetime
import itertools

from americano.ops.bulk import Rows
from behavior import factories as behavior_factories
from content import factories as content_factories
from content.enums import RelationshipType, SourceType
from demo.builder.context import SUBJECTS, TOPICS, Demo


def reference_data(demo: Demo, rows: Rows) -> dict[str, list[float]]:
    """Concepts (one per topic, with its topic vector), sources, First Aid, articles."""
    vectors = {topic: demo.unit_vector() for topic in TOPICS}
    when = demo.start - datetime.timedelta(days=30)
    for subject, topics in SUBJECTS.items():
        for topic in topics:
            demo.concepts[topic] = rows.add(
                content_factories.ConceptFactory.build(
                    id=demo.new_id(),
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
                    id=demo.new_id(),
                    from_concept=demo.concepts[before],
                    to_concept=demo.concepts[after],
                    relationship=demo.rng.choice(RelationshipType.values),
                    strength=round(demo.rng.uniform(0.4, 1.0), 2),
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
                id=demo.new_id(),
                name=name,
                type=kind,
                credibility_score=demo.rng.randint(70, 99),
                created_at=when,
            )
        )
    for page, topic in enumerate(TOPICS, start=40):
        subject = next(s for s, topics in SUBJECTS.items() if topic in topics)
        demo.first_aid[topic] = rows.add(
            content_factories.FirstAidSectionFactory.build(
                id=demo.new_id(),
                edition="2025",
                year=2025,
                system=subject,
                section=topic,
                page_number=page,
                content=f"High-yield facts on {topic.lower()}.",
                is_high_yield=demo.rng.random() < 0.4,
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
        demo.articles.append(
            rows.add(
                behavior_factories.LearningArticleFactory.build(
                    id=demo.new_id(),
                    slug=title.lower().replace(" ", "-"),
                    title=title,
                    category=category,
                    summary=f"{title}: what the research says, in five minutes.",
                    reading_time_minutes=demo.rng.randint(3, 9),
                    created_at=when,
                    published_at=when,
                )
            )
        )
    return vectors
