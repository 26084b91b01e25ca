"""A student's days of study: missions, sessions, card reviews, behavioural events, samples.

The event rows (reviews, behavioural events, context and cognitive-load samples:
most of the data) are built with their models rather than their factories: a
factory's ``build`` costs ten times a model's.
"""

import datetime
from collections.abc import Callable
from typing import Any

from americano.ops.bulk import Rows
from behavior import models as behavior_models
from behavior.enums import CompletionQuality, EngagementLevel, EventType, LocationType, MoodLevel
from content import models as content_models
from demo.builder.context import STUDY_WEEKS, Demo
from demo.builder.summaries import summaries
from learning import factories as learning_factories
from learning import models as learning_models
from learning.enums import MasteryLevel, MissionStatus, PaceRating, ReviewRating


def activity(
    demo: Demo,
    rows: Rows,
    user: learning_models.User,
    study_hour: float,
    objectives: list[learning_models.LearningObjective],
    cards: list[learning_models.Card],
    chunks: list[content_models.ContentChunk],
) -> None:
    """Study days: missions, sessions, reviews, events; then what is computed from them."""
    rng = demo.rng
    diligence = rng.uniform(0.3, 0.85)
    days = [
        demo.start + datetime.timedelta(days=d)
        for d in range(STUDY_WEEKS * 7)
        if rng.random() < diligence
    ]
    last_day = demo.start + datetime.timedelta(days=STUDY_WEEKS * 7 - 1)
    streak = 0
    for day in days:
        streak = streak + 1 if day - datetime.timedelta(days=1) in days else 1
        study_day(demo, rows, user, day, day == last_day, study_hour, objectives, cards)
    scores = {}
    for objective in objectives:
        weakness = round(rng.uniform(0.1, 0.9), 2)
        objective.weakness_score = weakness
        objective.mastery_level = MasteryLevel.values[min(4, int((1 - weakness) * 5))]
        objective.last_studied_at = days[-1] if days else None
        scores[objective] = weakness
    summaries(demo, rows, user, days, streak, objectives, scores, chunks)


def study_day(
    demo: Demo,
    rows: Rows,
    user: learning_models.User,
    day: datetime.datetime,
    today: bool,
    study_hour: float,
    objectives: list[learning_models.LearningObjective],
    cards: list[learning_models.Card],
) -> None:
    """One day: its mission and, unless skipped or still to come, a study session with its
    reviews (which update the cards), events and samples."""
    rng = demo.rng
    begin = demo.moment(day, study_hour + rng.uniform(-1, 1.5))
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
            id=demo.new_id(),
            user=user,
            date=demo.moment(day, 6),
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
            recommended_start_time=demo.moment(day, study_hour),
            actual_start_time=begin if status != MissionStatus.PENDING else None,
        )
    )
    if done and rng.random() < 0.3:
        rows.add(
            learning_factories.MissionFeedbackFactory.build(
                id=demo.new_id(),
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
            id=demo.new_id(),
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
                id=demo.new_id(),
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
    event = _event_maker(demo, user, context, engagement)
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
                id=demo.new_id(),
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
            id=demo.new_id(),
            user_id=user.pk,
            session_id=session.pk,
            load_score=round(rng.uniform(20, 85), 1),
            stress_indicators={"pauses": rng.randint(0, 6)},
            confidence_level=round(rng.uniform(0.5, 0.95), 2),
            timestamp=end,
        )
    )


def _event_maker(
    demo: Demo,
    user: learning_models.User,
    context: behavior_models.ContextMetadata | None,
    engagement: str,
) -> Callable[[str, datetime.datetime, dict[str, Any]], behavior_models.BehavioralEvent]:
    """Makes the behavioural events of one session: they share its engagement, its
    completion quality and its context sample."""
    quality = demo.rng.choice(CompletionQuality.values)

    def event(kind: str, when: datetime.datetime, data: dict[str, Any]) -> Any:
        return behavior_models.BehavioralEvent(
            id=demo.new_id(),
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
