from behavior.models.events import BehavioralEvent, ContextMetadata
from behavior.models.experiments import AnalysisRun, ExperimentProtocol, PhaseAssignment
from behavior.models.patterns import (
    BehavioralInsight,
    BehavioralPattern,
    InsightPattern,
    LearningPattern,
    PerformancePrediction,
    StressResponsePattern,
    UserLearningProfile,
)
from behavior.models.personalization import (
    ExperimentAssignment,
    PersonalizationConfig,
    PersonalizationEffectiveness,
    PersonalizationExperiment,
    PersonalizationOutcome,
    PersonalizationPreferences,
)
from behavior.models.recommendations import (
    AppliedRecommendation,
    ArticleRead,
    BehavioralGoal,
    InsightNotification,
    LearningArticle,
    Recommendation,
)
from behavior.models.scheduling import (
    CalendarIntegration,
    ScheduleAdaptation,
    SessionOrchestrationPlan,
    StudyScheduleRecommendation,
)
from behavior.models.struggles import (
    InterventionRecommendation,
    StruggleIndicator,
    StrugglePrediction,
)
from behavior.models.wellbeing import BurnoutRiskAssessment, CognitiveLoadMetric

__all__ = [
    "AnalysisRun",
    "AppliedRecommendation",
    "ArticleRead",
    "BehavioralEvent",
    "BehavioralGoal",
    "BehavioralInsight",
    "BehavioralPattern",
    "BurnoutRiskAssessment",
    "CalendarIntegration",
    "CognitiveLoadMetric",
    "ContextMetadata",
    "ExperimentAssignment",
    "ExperimentProtocol",
    "InsightNotification",
    "InsightPattern",
    "InterventionRecommendation",
    "LearningArticle",
    "LearningPattern",
    "PerformancePrediction",
    "PersonalizationConfig",
    "PersonalizationEffectiveness",
    "PersonalizationExperiment",
    "PersonalizationOutcome",
    "PersonalizationPreferences",
    "PhaseAssignment",
    "Recommendation",
    "ScheduleAdaptation",
    "SessionOrchestrationPlan",
    "StressResponsePattern",
    "StruggleIndicator",
    "StrugglePrediction",
    "StudyScheduleRecommendation",
    "UserLearningProfile",
]
