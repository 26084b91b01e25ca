"""factory-boy factories for the behavior models, used by the tests and seed_demo."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from americano.db.fields import new_cuid
from behavior import models
from behavior.enums import (
    AdaptationType,
    AnalysisType,
    ApplicationType,
    ArticleCategory,
    BehavioralGoalType,
    BehavioralPatternType,
    BurnoutRiskLevel,
    EventType,
    ExperimentDesignType,
    IndicatorType,
    InsightType,
    InterventionType,
    NotificationType,
    OutcomeType,
    PatternType,
    PersonalizationContext,
    PhaseType,
    RecommendationType,
    Severity,
)


class BehavioralEventFactory(DjangoModelFactory):
    class Meta:
        model = models.BehavioralEvent

    user_id = factory.LazyFunction(new_cuid)
    event_type = factory.Iterator(EventType.values)
    event_data = factory.LazyFunction(dict)


class ContextMetadataFactory(DjangoModelFactory):
    class Meta:
        model = models.ContextMetadata

    user_id = factory.LazyFunction(new_cuid)


class ExperimentProtocolFactory(DjangoModelFactory):
    class Meta:
        model = models.ExperimentProtocol

    user = factory.SubFactory("learning.factories.UserFactory")
    protocol_name = factory.Sequence(lambda n: f"experiment protocol {n}")
    hypothesis = factory.Faker("sentence")
    start_date = factory.LazyFunction(timezone.now)
    design_type = factory.Iterator(ExperimentDesignType.values)
    primary_outcome = factory.Faker("sentence")
    sample_size_target = factory.Faker("random_int", min=1, max=100)
    analysis_plan = factory.Faker("sentence")
    deviations = factory.LazyFunction(dict)


class PhaseAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = models.PhaseAssignment

    protocol = factory.SubFactory("behavior.factories.ExperimentProtocolFactory")
    phase_label = factory.Faker("sentence")
    phase_type = factory.Iterator(PhaseType.values)
    start_date = factory.LazyFunction(timezone.now)
    planned_duration = factory.Faker("random_int", min=1, max=100)
    randomization_seed = factory.Faker("random_int", min=1, max=100)
    intervention_params = factory.LazyFunction(dict)


class AnalysisRunFactory(DjangoModelFactory):
    class Meta:
        model = models.AnalysisRun

    protocol = factory.SubFactory("behavior.factories.ExperimentProtocolFactory")
    run_name = factory.Faker("sentence")
    analysis_type = factory.Iterator(AnalysisType.values)
    code_commit_hash = factory.Faker("sentence")
    data_version_hash = factory.Faker("sentence")
    input_params = factory.LazyFunction(dict)
    results_summary = factory.LazyFunction(dict)


class BehavioralPatternFactory(DjangoModelFactory):
    class Meta:
        model = models.BehavioralPattern

    user_id = factory.LazyFunction(new_cuid)
    pattern_type = factory.Iterator(BehavioralPatternType.values)
    pattern_data = factory.LazyFunction(dict)
    confidence = factory.Faker("pyfloat", min_value=0, max_value=1)


class BehavioralInsightFactory(DjangoModelFactory):
    class Meta:
        model = models.BehavioralInsight

    user_id = factory.LazyFunction(new_cuid)
    insight_type = factory.Iterator(InsightType.values)
    title = factory.Sequence(lambda n: f"behavioral insight {n}")
    description = factory.Faker("sentence")
    actionable_recommendation = factory.Faker("sentence")
    confidence = factory.Faker("pyfloat", min_value=0, max_value=1)


class InsightPatternFactory(DjangoModelFactory):
    class Meta:
        model = models.InsightPattern

    insight = factory.SubFactory("behavior.factories.BehavioralInsightFactory")
    pattern = factory.SubFactory("behavior.factories.BehavioralPatternFactory")


class UserLearningProfileFactory(DjangoModelFactory):
    class Meta:
        model = models.UserLearningProfile

    user_id = factory.LazyFunction(new_cuid)
    preferred_study_times = factory.LazyFunction(dict)
    average_session_duration = factory.Faker("random_int", min=1, max=100)
    optimal_session_duration = factory.Faker("random_int", min=1, max=100)
    content_preferences = factory.LazyFunction(dict)
    learning_style_profile = factory.LazyFunction(dict)
    personalized_forgetting_curve = factory.LazyFunction(dict)


class LearningPatternFactory(DjangoModelFactory):
    class Meta:
        model = models.LearningPattern

    user_id = factory.LazyFunction(new_cuid)
    pattern_type = factory.Iterator(PatternType.values)
    pattern_data = factory.LazyFunction(dict)
    confidence = factory.Faker("pyfloat", min_value=0, max_value=1)


class PerformancePredictionFactory(DjangoModelFactory):
    class Meta:
        model = models.PerformancePrediction

    user_id = factory.LazyFunction(new_cuid)
    predicted_for = factory.LazyFunction(timezone.now)
    prediction_type = factory.Faker("sentence")
    prediction = factory.LazyFunction(dict)
    confidence = factory.Faker("pyfloat", min_value=0, max_value=1)


class StressResponsePatternFactory(DjangoModelFactory):
    class Meta:
        model = models.StressResponsePattern

    user_id = factory.LazyFunction(new_cuid)
    pattern_data = factory.LazyFunction(dict)
    confidence = factory.Faker("pyfloat", min_value=0, max_value=1)


class PersonalizationPreferencesFactory(DjangoModelFactory):
    class Meta:
        model = models.PersonalizationPreferences

    user_id = factory.LazyFunction(new_cuid)


class PersonalizationConfigFactory(DjangoModelFactory):
    class Meta:
        model = models.PersonalizationConfig

    user_id = factory.LazyFunction(new_cuid)
    preferences = factory.SubFactory("behavior.factories.PersonalizationPreferencesFactory")
    context = factory.Iterator(PersonalizationContext.values)
    strategy_variant = factory.Faker("sentence")


class PersonalizationEffectivenessFactory(DjangoModelFactory):
    class Meta:
        model = models.PersonalizationEffectiveness

    config = factory.SubFactory("behavior.factories.PersonalizationConfigFactory")
    user_id = factory.LazyFunction(new_cuid)
    start_date = factory.LazyFunction(timezone.now)
    end_date = factory.LazyFunction(timezone.now)
    sample_size = factory.Faker("random_int", min=1, max=100)
    composite_score = factory.Faker("pyfloat", min_value=0, max_value=1)


class PersonalizationExperimentFactory(DjangoModelFactory):
    class Meta:
        model = models.PersonalizationExperiment

    user_id = factory.LazyFunction(new_cuid)
    preferences = factory.SubFactory("behavior.factories.PersonalizationPreferencesFactory")
    experiment_name = factory.Faker("sentence")
    context = factory.Iterator(PersonalizationContext.values)
    variants = factory.LazyFunction(dict)
    end_date = factory.LazyFunction(timezone.now)


class PersonalizationOutcomeFactory(DjangoModelFactory):
    class Meta:
        model = models.PersonalizationOutcome

    user_id = factory.LazyFunction(new_cuid)
    outcome_type = factory.Iterator(OutcomeType.values)
    context = factory.Iterator(PersonalizationContext.values)


class ExperimentAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = models.ExperimentAssignment

    experiment = factory.SubFactory("behavior.factories.PersonalizationExperimentFactory")
    user_id = factory.LazyFunction(new_cuid)
    variant_id = factory.LazyFunction(new_cuid)


class LearningArticleFactory(DjangoModelFactory):
    class Meta:
        model = models.LearningArticle

    slug = factory.Sequence(lambda n: f"slug-{n}")
    title = factory.Sequence(lambda n: f"learning article {n}")
    category = factory.Iterator(ArticleCategory.values)
    summary = factory.Faker("sentence")
    content = factory.Faker("sentence")


class ArticleReadFactory(DjangoModelFactory):
    class Meta:
        model = models.ArticleRead

    user_id = factory.LazyFunction(new_cuid)
    article = factory.SubFactory("behavior.factories.LearningArticleFactory")


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = models.Recommendation

    user_id = factory.LazyFunction(new_cuid)
    recommendation_type = factory.Iterator(RecommendationType.values)
    title = factory.Sequence(lambda n: f"recommendation {n}")
    description = factory.Faker("sentence")
    actionable_text = factory.Faker("sentence")
    confidence = factory.Faker("pyfloat", min_value=0, max_value=1)
    estimated_impact = factory.Faker("pyfloat", min_value=0, max_value=1)
    ease_of_implementation = factory.Faker("pyfloat", min_value=0, max_value=1)
    user_readiness = factory.Faker("pyfloat", min_value=0, max_value=1)
    priority_score = factory.Faker("pyfloat", min_value=0, max_value=1)


class AppliedRecommendationFactory(DjangoModelFactory):
    class Meta:
        model = models.AppliedRecommendation

    recommendation = factory.SubFactory("behavior.factories.RecommendationFactory")
    user_id = factory.LazyFunction(new_cuid)
    application_type = factory.Iterator(ApplicationType.values)
    baseline_metrics = factory.LazyFunction(dict)


class BehavioralGoalFactory(DjangoModelFactory):
    class Meta:
        model = models.BehavioralGoal

    user_id = factory.LazyFunction(new_cuid)
    goal_type = factory.Iterator(BehavioralGoalType.values)
    title = factory.Sequence(lambda n: f"behavioral goal {n}")
    description = factory.Faker("sentence")
    target_metric = factory.Faker("sentence")
    current_value = factory.Faker("pyfloat", min_value=0, max_value=1)
    target_value = factory.Faker("pyfloat", min_value=0, max_value=1)
    deadline = factory.LazyFunction(timezone.now)
    progress_history = factory.LazyFunction(dict)


class InsightNotificationFactory(DjangoModelFactory):
    class Meta:
        model = models.InsightNotification

    user_id = factory.LazyFunction(new_cuid)
    notification_type = factory.Iterator(NotificationType.values)
    title = factory.Sequence(lambda n: f"insight notification {n}")
    message = factory.Faker("sentence")


class StudyScheduleRecommendationFactory(DjangoModelFactory):
    class Meta:
        model = models.StudyScheduleRecommendation

    user_id = factory.LazyFunction(new_cuid)
    recommended_schedule = factory.LazyFunction(dict)
    reasoning = factory.Faker("sentence")


class ScheduleAdaptationFactory(DjangoModelFactory):
    class Meta:
        model = models.ScheduleAdaptation

    user_id = factory.LazyFunction(new_cuid)
    adaptation_type = factory.Iterator(AdaptationType.values)
    adaptation_details = factory.LazyFunction(dict)


class CalendarIntegrationFactory(DjangoModelFactory):
    class Meta:
        model = models.CalendarIntegration

    user_id = factory.LazyFunction(new_cuid)
    calendar_provider = factory.Faker("sentence")
    access_token = factory.Faker("sentence")


class SessionOrchestrationPlanFactory(DjangoModelFactory):
    class Meta:
        model = models.SessionOrchestrationPlan

    user_id = factory.LazyFunction(new_cuid)
    plan_data = factory.LazyFunction(dict)


class InterventionRecommendationFactory(DjangoModelFactory):
    class Meta:
        model = models.InterventionRecommendation

    user_id = factory.LazyFunction(new_cuid)
    intervention_type = factory.Iterator(InterventionType.values)
    description = factory.Faker("sentence")
    reasoning = factory.Faker("sentence")
    priority = factory.Faker("random_int", min=1, max=100)


class StruggleIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = models.StruggleIndicator

    user_id = factory.LazyFunction(new_cuid)
    learning_objective_id = factory.LazyFunction(new_cuid)
    indicator_type = factory.Iterator(IndicatorType.values)
    severity = factory.Iterator(Severity.values)


class StrugglePredictionFactory(DjangoModelFactory):
    class Meta:
        model = models.StrugglePrediction

    user_id = factory.LazyFunction(new_cuid)
    learning_objective = factory.SubFactory("learning.factories.LearningObjectiveFactory")
    predicted_struggle_probability = factory.Faker("pyfloat", min_value=0, max_value=1)
    prediction_confidence = factory.Faker("pyfloat", min_value=0, max_value=1)
    struggling_factors = factory.LazyFunction(dict)


class CognitiveLoadMetricFactory(DjangoModelFactory):
    class Meta:
        model = models.CognitiveLoadMetric

    user_id = factory.LazyFunction(new_cuid)
    load_score = factory.Faker("pyfloat", min_value=0, max_value=1)
    stress_indicators = factory.LazyFunction(dict)
    confidence_level = factory.Faker("pyfloat", min_value=0, max_value=1)


class BurnoutRiskAssessmentFactory(DjangoModelFactory):
    class Meta:
        model = models.BurnoutRiskAssessment

    user_id = factory.LazyFunction(new_cuid)
    risk_score = factory.Faker("pyfloat", min_value=0, max_value=1)
    risk_level = factory.Iterator(BurnoutRiskLevel.values)
    contributing_factors = factory.LazyFunction(dict)
