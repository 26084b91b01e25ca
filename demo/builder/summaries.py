"""What is computed from a student's activity: streaks, goals, analytics, patterns, advice."""

import datetime

from americano.ops.bulk import Rows
from behavior import factories as behavior_factories
from behavior.enums import (
    BehavioralPatternType,
    BurnoutRiskLevel,
    InsightType,
    InterventionType,
    PredictionStatus,
    RecommendationType,
)
from content import factories as content_factories
from content import models as content_models
from content.enums import ContentSourceType
from demo.builder.context import SEARCHES, STUDY_WEEKS, Demo
from learning import factories as learning_factories
from learning import models as learning_models
from learning.enums import (
    AchievementTier,
    AchievementType,
    AnalyticsPeriod,
    GoalPeriod,
    GoalType,
    PromptType,
)


def summaries(
    demo: Demo,
    rows: Rows,
    user: learning_models.User,
    days: list[datetime.datetime],
    streak: int,
    objectives: list[learning_models.LearningObjective],
    weakness: dict[learning_models.LearningObjective, float],
    chunks: list[content_models.ContentChunk],
) -> None:
    """Streaks, goals, analytics, patterns and recommendations computed from the activity."""
    weakest = max(objectives, key=weakness.get)
    records(demo, rows, user, days, streak, objectives, weakness, weakest)
    searches_and_reads(demo, rows, user, objectives, chunks)
    advice(demo, rows, user, days, weakness, weakest, chunks)


def records(
    demo: Demo,
    rows: Rows,
    user: learning_models.User,
    days: list[datetime.datetime],
    streak: int,
    objectives: list[learning_models.LearningObjective],
    weakness: dict[learning_models.LearningObjective, float],
    weakest: learning_models.LearningObjective,
) -> None:
    """Streaks, achievements, the week's goal, weekly and per-objective analytics, and a
    validation prompt on the weakest objective."""
    rng = demo.rng
    last = days[-1] if days else None
    rows.add(
        learning_factories.StreakFactory.build(
            id=demo.new_id(),
            user=user,
            current_streak=streak,
            longest_streak=max(streak, rng.randint(1, 9)),
            last_study_date=last,
            created_at=demo.start,
        )
    )
    rows.add(
        learning_factories.MissionStreakFactory.build(
            id=demo.new_id(),
            user=user,
            current_streak=streak,
            longest_streak=max(streak, rng.randint(1, 9)),
            last_completed_date=last,
            created_at=demo.start,
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
                id=demo.new_id(),
                user=user,
                type=kind,
                tier=tier,
                name=kind.label,
                description=f"Earned for {kind.label.lower()}.",
                earned_at=demo.start + datetime.timedelta(days=rng.randint(0, 40)),
            )
        )
    rows.add(
        learning_factories.StudyGoalFactory.build(
            id=demo.new_id(),
            user=user,
            goal_type=GoalType.TIME_BASED,
            target_value=300,
            current_progress=rng.randint(60, 300),
            period=GoalPeriod.WEEKLY,
            start_date=demo.end - datetime.timedelta(days=6),
            end_date=demo.end,
            created_at=demo.end - datetime.timedelta(days=6),
        )
    )
    for week in range(STUDY_WEEKS):
        begin = demo.start + datetime.timedelta(weeks=week)
        studied = sum(begin <= d < begin + datetime.timedelta(weeks=1) for d in days)
        rows.add(
            learning_factories.MissionAnalyticsFactory.build(
                id=demo.new_id(),
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
                id=demo.new_id(),
                user_id=user.pk,
                learning_objective=objective,
                date=demo.end.replace(hour=0, minute=0),
                retention_score=round(1 - weakness[objective], 2),
                study_time_ms=rng.randint(5, 90) * 60_000,
                review_count=rng.randint(2, 20),
                correct_reviews=rng.randint(1, 15),
                incorrect_reviews=rng.randint(0, 6),
            )
        )
    prompt = rows.add(
        learning_factories.ValidationPromptFactory.build(
            id=demo.new_id(),
            prompt_text=f"Explain to a patient: {weakest.objective.lower()}.",
            prompt_type=PromptType.EXPLAIN_TO_PATIENT,
            concept_name=weakest.objective,
            objective_id=weakest.pk,
            created_at=demo.start,
        )
    )
    if last:
        rows.add(
            learning_factories.ValidationResponseFactory.build(
                id=demo.new_id(),
                prompt=prompt,
                user_id=user.pk,
                user_answer="It is about how the body keeps things in balance.",
                ai_evaluation="Correct idea; name the mechanism.",
                score=round(rng.uniform(0.4, 0.95), 2),
                confidence_level=rng.randint(1, 5),
                responded_at=last + datetime.timedelta(hours=12),
            )
        )


def searches_and_reads(
    demo: Demo,
    rows: Rows,
    user: learning_models.User,
    objectives: list[learning_models.LearningObjective],
    chunks: list[content_models.ContentChunk],
) -> None:
    """Searches on the student's topics with the clicks on their results, and article reads."""
    rng = demo.rng
    searches = []
    for _ in range(rng.randint(2, 5)):
        when = demo.start + datetime.timedelta(days=rng.randint(0, 41), hours=rng.randint(8, 22))
        searches.append(
            rows.add(
                content_factories.SearchQueryFactory.build(
                    id=demo.new_id(),
                    user_id=user.pk,
                    query=f"{rng.choice(objectives).lecture.topic_tags[0]} {rng.choice(SEARCHES)}",
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
                    id=demo.new_id(),
                    search_query=search,
                    user_id=user.pk,
                    result_id=rng.choice(chunks).lecture_id,
                    result_type="lecture",
                    position=rng.randint(1, 5),
                    similarity=round(rng.uniform(0.6, 0.95), 3),
                    timestamp=search.timestamp + datetime.timedelta(seconds=rng.randint(3, 40)),
                )
            )
    for article in rng.sample(demo.articles, rng.randint(0, 2)):
        rows.add(
            behavior_factories.ArticleReadFactory.build(
                id=demo.new_id(),
                user_id=user.pk,
                article=article,
                read_at=demo.start + datetime.timedelta(days=rng.randint(0, 41)),
                read_duration_seconds=rng.randint(60, 600),
                completed_read=rng.random() < 0.7,
            )
        )


def advice(
    demo: Demo,
    rows: Rows,
    user: learning_models.User,
    days: list[datetime.datetime],
    weakness: dict[learning_models.LearningObjective, float],
    weakest: learning_models.LearningObjective,
    chunks: list[content_models.ContentChunk],
) -> None:
    """The learning profile, a pattern and its insight, burnout risk, recommendations, a
    struggle prediction on the weakest objective with its intervention."""
    rng = demo.rng
    last = days[-1] if days else None
    rows.add(
        behavior_factories.UserLearningProfileFactory.build(
            id=demo.new_id(),
            user_id=user.pk,
            preferred_study_times=[{"dayOfWeek": d, "hour": 19} for d in range(5)],
            average_session_duration=rng.randint(20, 60),
            optimal_session_duration=rng.choice([25, 40, 50]),
            content_preferences={"flashcards": 0.6, "lectures": 0.4},
            learning_style_profile={"visual": 0.4, "reading": 0.3, "kinesthetic": 0.3},
            personalized_forgetting_curve={"halfLifeDays": round(rng.uniform(2, 9), 1)},
            last_analyzed_at=demo.end,
            data_quality_score=round(rng.uniform(0.5, 1), 2),
        )
    )
    rows.add(
        behavior_factories.PersonalizationPreferencesFactory.build(
            id=demo.new_id(), user_id=user.pk, created_at=demo.start
        )
    )
    pattern = rows.add(
        behavior_factories.BehavioralPatternFactory.build(
            id=demo.new_id(),
            user_id=user.pk,
            pattern_type=BehavioralPatternType.OPTIMAL_STUDY_TIME,
            pattern_name=f"Studies best in the {user.preferred_study_time}",
            pattern_data={"preferredTime": user.preferred_study_time},
            confidence=round(rng.uniform(0.6, 0.95), 2),
            occurrence_count=len(days),
            first_detected_at=demo.start,
            last_seen_at=last or demo.start,
            detected_at=demo.start + datetime.timedelta(weeks=2),
        )
    )
    insight = rows.add(
        behavior_factories.BehavioralInsightFactory.build(
            id=demo.new_id(),
            user_id=user.pk,
            insight_type=InsightType.STUDY_TIME_OPTIMIZATION,
            title=f"Keep studying in the {user.preferred_study_time}",
            description="Your recall is highest at this time of day.",
            actionable_recommendation="Schedule reviews then.",
            confidence=pattern.confidence,
            created_at=demo.start + datetime.timedelta(weeks=2),
        )
    )
    rows.add(
        behavior_factories.InsightPatternFactory.build(
            id=demo.new_id(), insight=insight, pattern=pattern
        )
    )
    risk = rng.uniform(0.05, 0.8)
    rows.add(
        behavior_factories.BurnoutRiskAssessmentFactory.build(
            id=demo.new_id(),
            user_id=user.pk,
            risk_score=round(risk * 100, 1),
            risk_level=BurnoutRiskLevel.values[min(3, int(risk * 4))],
            contributing_factors={"studyDaysPerWeek": round(len(days) / STUDY_WEEKS, 1)},
            assessment_date=demo.end,
        )
    )
    rows.add(
        behavior_factories.RecommendationFactory.build(
            id=demo.new_id(),
            user_id=user.pk,
            recommendation_type=RecommendationType.CONSISTENCY_BUILDING,
            title="Study a little every day",
            description="Short daily sessions keep your streak and your recall.",
            actionable_text="Plan 30 minutes each evening.",
            source_pattern_ids=[pattern.pk],
            source_insight_ids=[insight.pk],
            created_at=demo.end - datetime.timedelta(days=2),
        )
    )
    prediction = rows.add(
        behavior_factories.StrugglePredictionFactory.build(
            id=demo.new_id(),
            user_id=user.pk,
            learning_objective=weakest,
            predicted_struggle_probability=weakness[weakest],
            prediction_confidence=round(rng.uniform(0.6, 0.9), 2),
            prediction_status=rng.choice(PredictionStatus.values[:2]),
            struggling_factors={"weaknessScore": weakness[weakest]},
            prediction_date=demo.end,
            predicted_at=demo.end,
        )
    )
    rows.add(
        behavior_factories.InterventionRecommendationFactory.build(
            id=demo.new_id(),
            user_id=user.pk,
            prediction=prediction,
            intervention_type=InterventionType.PREREQUISITE_REVIEW,
            description=f"Review the basics before {weakest.objective.lower()}.",
            reasoning="Low retention on this objective's prerequisites.",
            priority=rng.randint(5, 9),
            related_objective_id=weakest.pk,
            created_at=demo.end,
        )
    )
    recommended, source = rng.sample(chunks, 2)
    rows.add(
        content_factories.ContentRecommendationFactory.build(
            id=demo.new_id(),
            user_id=user.pk,
            recommended_content=recommended,
            source_content=source,
            score=round(rng.uniform(0.6, 0.95), 2),
            reasoning="Similar content to what you studied last.",
            context_type="lecture",
            context_id=source.lecture_id,
            source_type=ContentSourceType.LECTURE,
            created_at=demo.end - datetime.timedelta(days=1),
        )
    )
