"""factory-boy factories for the learning models, used by the tests and seed_demo."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from americano.db.fields import new_cuid
from learning import models
from learning.enums import (
    AchievementType,
    AnalyticsPeriod,
    FeedbackRating,
    GoalPeriod,
    GoalType,
    PaceRating,
    PromptType,
    ReviewPeriod,
    ReviewRating,
    ScenarioType,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = models.User

    email = factory.Sequence(lambda n: f"student{n}@example.edu")
    name = factory.Faker("name")


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = models.Course

    user = factory.SubFactory("learning.factories.UserFactory")
    name = factory.Sequence(lambda n: f"course {n}")


class LectureFactory(DjangoModelFactory):
    class Meta:
        model = models.Lecture

    user = factory.SubFactory("learning.factories.UserFactory")
    course = factory.SubFactory(
        "learning.factories.CourseFactory", user=factory.SelfAttribute("..user")
    )
    title = factory.Sequence(lambda n: f"lecture {n}")
    file_name = factory.Faker("file_name", extension="pdf")
    file_url = factory.Faker("url")
    file_size = factory.Faker("random_int", min=1, max=100)


class LearningObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = models.LearningObjective

    lecture = factory.SubFactory("learning.factories.LectureFactory")
    objective = factory.Faker("sentence")


class ObjectivePrerequisiteFactory(DjangoModelFactory):
    class Meta:
        model = models.ObjectivePrerequisite

    objective = factory.SubFactory("learning.factories.LearningObjectiveFactory")
    prerequisite = factory.SubFactory("learning.factories.LearningObjectiveFactory")


class ExamFactory(DjangoModelFactory):
    class Meta:
        model = models.Exam

    user = factory.SubFactory("learning.factories.UserFactory")
    name = factory.Sequence(lambda n: f"exam {n}")
    date = factory.LazyFunction(timezone.now)
    course = factory.SubFactory("learning.factories.CourseFactory")


class CoursePriorityFactory(DjangoModelFactory):
    class Meta:
        model = models.CoursePriority

    user = factory.SubFactory("learning.factories.UserFactory")
    course = factory.SubFactory("learning.factories.CourseFactory")


class PriorityFeedbackFactory(DjangoModelFactory):
    class Meta:
        model = models.PriorityFeedback

    user_id = factory.LazyFunction(new_cuid)
    objective = factory.SubFactory("learning.factories.LearningObjectiveFactory")
    suggested_priority = factory.Faker("pyfloat", min_value=0, max_value=1)
    user_feedback = factory.Iterator(FeedbackRating.values)


class MissionFactory(DjangoModelFactory):
    class Meta:
        model = models.Mission

    user = factory.SubFactory("learning.factories.UserFactory")
    estimated_minutes = factory.Faker("random_int", min=1, max=100)
    objectives = factory.LazyFunction(dict)


class StreakFactory(DjangoModelFactory):
    class Meta:
        model = models.Streak

    user = factory.SubFactory("learning.factories.UserFactory")


class AchievementFactory(DjangoModelFactory):
    class Meta:
        model = models.Achievement

    user = factory.SubFactory("learning.factories.UserFactory")
    type = factory.Iterator(AchievementType.values)
    name = factory.Sequence(lambda n: f"achievement {n}")
    description = factory.Faker("sentence")


class StudyGoalFactory(DjangoModelFactory):
    class Meta:
        model = models.StudyGoal

    user = factory.SubFactory("learning.factories.UserFactory")
    goal_type = factory.Iterator(GoalType.values)
    target_value = factory.Faker("random_int", min=1, max=100)
    period = factory.Iterator(GoalPeriod.values)
    start_date = factory.LazyFunction(timezone.now)
    end_date = factory.LazyFunction(timezone.now)


class MissionAnalyticsFactory(DjangoModelFactory):
    class Meta:
        model = models.MissionAnalytics

    user_id = factory.LazyFunction(new_cuid)
    period = factory.Iterator(AnalyticsPeriod.values)
    missions_generated = factory.Faker("random_int", min=1, max=100)
    missions_completed = factory.Faker("random_int", min=1, max=100)
    missions_skipped = factory.Faker("random_int", min=1, max=100)
    avg_completion_rate = factory.Faker("pyfloat", min_value=0, max_value=1)
    avg_time_accuracy = factory.Faker("pyfloat", min_value=0, max_value=1)
    avg_difficulty_rating = factory.Faker("pyfloat", min_value=0, max_value=1)
    avg_success_score = factory.Faker("pyfloat", min_value=0, max_value=1)


class MissionFeedbackFactory(DjangoModelFactory):
    class Meta:
        model = models.MissionFeedback

    user_id = factory.LazyFunction(new_cuid)
    mission = factory.SubFactory("learning.factories.MissionFactory")
    helpfulness_rating = factory.Faker("random_int", min=1, max=100)
    relevance_score = factory.Faker("random_int", min=1, max=100)
    pace_rating = factory.Iterator(PaceRating.values)


class MissionStreakFactory(DjangoModelFactory):
    class Meta:
        model = models.MissionStreak

    user = factory.SubFactory("learning.factories.UserFactory")


class MissionReviewFactory(DjangoModelFactory):
    class Meta:
        model = models.MissionReview

    user = factory.SubFactory("learning.factories.UserFactory")
    period = factory.Iterator(ReviewPeriod.values)
    start_date = factory.LazyFunction(timezone.now)
    end_date = factory.LazyFunction(timezone.now)
    summary = factory.LazyFunction(dict)
    highlights = factory.LazyFunction(dict)
    insights = factory.LazyFunction(dict)
    recommendations = factory.LazyFunction(dict)


class CardFactory(DjangoModelFactory):
    class Meta:
        model = models.Card

    course = factory.SubFactory("learning.factories.CourseFactory")
    front = factory.Faker("sentence")
    back = factory.Faker("sentence")


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = models.Review

    user = factory.SubFactory("learning.factories.UserFactory")
    card = factory.SubFactory("learning.factories.CardFactory")
    rating = factory.Iterator(ReviewRating.values)
    time_spent_ms = factory.Faker("random_int", min=1, max=100)
    difficulty_before = factory.Faker("pyfloat", min_value=0, max_value=1)
    stability_before = factory.Faker("pyfloat", min_value=0, max_value=1)
    difficulty_after = factory.Faker("pyfloat", min_value=0, max_value=1)
    stability_after = factory.Faker("pyfloat", min_value=0, max_value=1)


class StudySessionFactory(DjangoModelFactory):
    class Meta:
        model = models.StudySession

    user = factory.SubFactory("learning.factories.UserFactory")


class ValidationPromptFactory(DjangoModelFactory):
    class Meta:
        model = models.ValidationPrompt

    prompt_text = factory.Faker("sentence")
    prompt_type = factory.Iterator(PromptType.values)
    concept_name = factory.Faker("sentence")


class ValidationResponseFactory(DjangoModelFactory):
    class Meta:
        model = models.ValidationResponse

    prompt = factory.SubFactory("learning.factories.ValidationPromptFactory")
    user_answer = factory.Faker("sentence")
    ai_evaluation = factory.Faker("sentence")
    score = factory.Faker("pyfloat", min_value=0, max_value=1)
    user_id = factory.LazyFunction(new_cuid)


class ComprehensionMetricFactory(DjangoModelFactory):
    class Meta:
        model = models.ComprehensionMetric

    concept_name = factory.Faker("sentence")
    avg_score = factory.Faker("pyfloat", min_value=0, max_value=1)
    sample_size = factory.Faker("random_int", min=1, max=100)


class PerformanceMetricFactory(DjangoModelFactory):
    class Meta:
        model = models.PerformanceMetric

    user_id = factory.LazyFunction(new_cuid)
    learning_objective = factory.SubFactory("learning.factories.LearningObjectiveFactory")
    retention_score = factory.Faker("pyfloat", min_value=0, max_value=1)
    study_time_ms = factory.Faker("random_int", min=1, max=100)
    review_count = factory.Faker("random_int", min=1, max=100)
    correct_reviews = factory.Faker("random_int", min=1, max=100)
    incorrect_reviews = factory.Faker("random_int", min=1, max=100)


class AdaptiveSessionFactory(DjangoModelFactory):
    class Meta:
        model = models.AdaptiveSession

    user_id = factory.LazyFunction(new_cuid)
    initial_difficulty = factory.Faker("random_int", min=1, max=100)
    current_difficulty = factory.Faker("random_int", min=1, max=100)


class CalibrationMetricFactory(DjangoModelFactory):
    class Meta:
        model = models.CalibrationMetric

    user_id = factory.LazyFunction(new_cuid)
    avg_delta = factory.Faker("pyfloat", min_value=0, max_value=1)
    correlation_coeff = factory.Faker("pyfloat", min_value=0, max_value=1)
    sample_size = factory.Faker("random_int", min=1, max=100)


class ClinicalReasoningMetricFactory(DjangoModelFactory):
    class Meta:
        model = models.ClinicalReasoningMetric

    user = factory.SubFactory("learning.factories.UserFactory")
    scenario_type = factory.Faker("sentence")
    competency_scores = factory.LazyFunction(dict)


class ClinicalScenarioFactory(DjangoModelFactory):
    class Meta:
        model = models.ClinicalScenario

    objective = factory.SubFactory("learning.factories.LearningObjectiveFactory")
    scenario_type = factory.Iterator(ScenarioType.values)
    difficulty = factory.Faker("sentence")
    case_text = factory.LazyFunction(dict)


class ControlledFailureFactory(DjangoModelFactory):
    class Meta:
        model = models.ControlledFailure

    objective = factory.SubFactory("learning.factories.LearningObjectiveFactory")
    user_id = factory.LazyFunction(new_cuid)
    prompt_id = factory.LazyFunction(new_cuid)
    attempt_number = factory.Faker("random_int", min=1, max=100)
    is_correct = False
    retest_schedule = factory.LazyFunction(dict)


class DailyInsightFactory(DjangoModelFactory):
    class Meta:
        model = models.DailyInsight

    user_id = factory.LazyFunction(new_cuid)
    date = factory.LazyFunction(timezone.now)
    insight_type = factory.Faker("sentence")
    message = factory.Faker("sentence")
    recommended_actions = factory.LazyFunction(dict)
    priority = factory.Faker("random_int", min=1, max=100)


class FailurePatternFactory(DjangoModelFactory):
    class Meta:
        model = models.FailurePattern

    user_id = factory.LazyFunction(new_cuid)
    pattern_type = factory.Faker("sentence")
    affected_objectives = factory.LazyFunction(dict)
    pattern_description = factory.Faker("sentence")
    remediation = factory.Faker("sentence")


class MasteryVerificationFactory(DjangoModelFactory):
    class Meta:
        model = models.MasteryVerification

    user_id = factory.LazyFunction(new_cuid)
    objective = factory.SubFactory("learning.factories.LearningObjectiveFactory")
    criteria = factory.LazyFunction(dict)


class PeerBenchmarkFactory(DjangoModelFactory):
    class Meta:
        model = models.PeerBenchmark

    objective_id = factory.LazyFunction(new_cuid)
    metric = factory.Faker("sentence")
    percentile25 = factory.Faker("pyfloat", min_value=0, max_value=1)
    percentile50 = factory.Faker("pyfloat", min_value=0, max_value=1)
    percentile75 = factory.Faker("pyfloat", min_value=0, max_value=1)
    mean = factory.Faker("pyfloat", min_value=0, max_value=1)
    std_dev = factory.Faker("pyfloat", min_value=0, max_value=1)
    sample_size = factory.Faker("random_int", min=1, max=100)


class ScenarioResponseFactory(DjangoModelFactory):
    class Meta:
        model = models.ScenarioResponse

    scenario = factory.SubFactory("learning.factories.ClinicalScenarioFactory")
    user = factory.SubFactory("learning.factories.UserFactory")
    user_choices = factory.LazyFunction(dict)
    user_reasoning = factory.Faker("sentence")
    score = factory.Faker("random_int", min=1, max=100)
    competency_scores = factory.LazyFunction(dict)
    time_spent = factory.Faker("random_int", min=1, max=100)


class UnderstandingPredictionFactory(DjangoModelFactory):
    class Meta:
        model = models.UnderstandingPrediction

    user_id = factory.LazyFunction(new_cuid)
    objective_id = factory.LazyFunction(new_cuid)
    prediction_type = factory.Faker("sentence")
    predicted_value = factory.Faker("pyfloat", min_value=0, max_value=1)
    confidence_interval = factory.LazyFunction(dict)
