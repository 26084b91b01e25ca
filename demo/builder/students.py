"""One student: their courses, exams and priorities, lectures with chunks and objectives, cards."""

import datetime

from americano.ops.bulk import Rows
from content import factories as content_factories
from content import models as content_models
from demo.builder.activity import activity
from demo.builder.context import OBJECTIVE_ASPECTS, OBJECTIVE_VERBS, SUBJECT_CODES, SUBJECTS, Demo
from learning import factories as learning_factories
from learning import models as learning_models
from learning.enums import CardType, ObjectiveComplexity, ProcessingStatus


def student(demo: Demo, rows: Rows, number: int) -> None:
    """A student, their courses and lectures, and ``STUDY_WEEKS`` weeks of activity."""
    rng = demo.rng
    joined = demo.start - datetime.timedelta(days=rng.randint(7, 60))
    user = learning_factories.UserFactory.build(
        id=demo.new_id(), email=f"student{number}@demo.americano.test", created_at=joined
    )
    user.preferred_study_time = rng.choice(["morning", "afternoon", "evening"])
    rows.add(user)
    study_hour = {"morning": 7.5, "afternoon": 14.0, "evening": 19.5}[user.preferred_study_time]

    objectives, cards, chunks = [], [], []
    for subject in rng.sample(list(SUBJECTS), rng.randint(2, 3)):
        course = rows.add(
            learning_factories.CourseFactory.build(
                id=demo.new_id(),
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
                id=demo.new_id(),
                user=user,
                course=course,
                priority_level=rng.choice(["LOW", "MEDIUM", "HIGH", "CRITICAL"]),
                created_at=joined,
            )
        )
        rows.add(
            learning_factories.ExamFactory.build(
                id=demo.new_id(),
                user=user,
                course=course,
                name=f"{subject} midterm",
                date=demo.end + datetime.timedelta(days=rng.randint(7, 40)),
                coverage_topics=SUBJECTS[subject][:3],
                created_at=joined,
            )
        )
        for week, topic in enumerate(rng.sample(SUBJECTS[subject], rng.randint(2, 3)), 1):
            lecture, lecture_objectives, lecture_chunks = add_lecture(
                demo, rows, user, course, topic, week, joined
            )
            chunks += lecture_chunks
            objectives += lecture_objectives
            for objective in lecture_objectives:
                for _ in range(2):
                    cards.append(add_card(demo, rows, course, lecture, objective, topic, joined))
    activity(demo, rows, user, study_hour, objectives, cards, chunks)


def add_lecture(
    demo: Demo,
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
    """A lecture of ``topic`` with its chunks, its First Aid mapping and its objectives, each
    objective a prerequisite of the next."""
    rng = demo.rng
    status = rng.choices(
        [ProcessingStatus.COMPLETED, ProcessingStatus.PROCESSING, ProcessingStatus.FAILED],
        [90, 7, 3],
    )[0]
    uploaded = joined + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(8, 20))
    pages = rng.randint(18, 60)
    lecture_file = f"{topic.lower().replace(' ', '-')}-week{week}.pdf"
    lecture = rows.add(
        learning_factories.LectureFactory.build(
            id=demo.new_id(),
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
                id=demo.new_id(),
                lecture=lecture,
                content=f"{topic}, part {index + 1}: " + " ".join(demo.sentences(topic, 3)),
                chunk_index=index,
                page_number=1 + index * pages // 3,
                created_at=uploaded,
            )
        )
        for index in range(3)
    ]
    rows.add(
        content_factories.LectureFirstAidMappingFactory.build(
            id=demo.new_id(),
            lecture_id=lecture.pk,
            first_aid_section=demo.first_aid[topic],
            confidence=round(rng.uniform(0.6, 0.98), 2),
            mapping_rationale=f"Both cover {topic.lower()}.",
            created_at=uploaded,
        )
    )
    objectives = []
    for _ in range(rng.randint(2, 3)):
        objective = rows.add(
            learning_factories.LearningObjectiveFactory.build(
                id=demo.new_id(),
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
                    id=demo.new_id(),
                    objective=objective,
                    prerequisite=objectives[-1],
                    strength=round(rng.uniform(0.5, 1), 2),
                )
            )
        objectives.append(objective)
    return lecture, objectives, chunks


def add_card(
    demo: Demo,
    rows: Rows,
    course: learning_models.Course,
    lecture: learning_models.Lecture,
    objective: learning_models.LearningObjective,
    topic: str,
    joined: datetime.datetime,
) -> learning_models.Card:
    """A new card on ``objective``; the study days review it."""
    rng = demo.rng
    return rows.add(
        learning_factories.CardFactory.build(
            id=demo.new_id(),
            course=course,
            lecture=lecture,
            objective=objective,
            front=f"{topic}: {rng.choice(['What', 'Which', 'Why', 'How'])}"
            f" {rng.choice(['mechanism', 'finding', 'structure', 'drug'])} is key?",
            back=demo.sentences(topic, 1)[0],
            card_type=rng.choices(CardType.values, [70, 20, 10])[0],
            created_at=joined,
            difficulty=round(rng.uniform(3, 7), 2),
            stability=round(rng.uniform(0.5, 3), 2),
        )
    )
