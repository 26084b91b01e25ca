from americano.db.enums import DatabaseEnum


class ProcessingStatus(DatabaseEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    EMBEDDING = "EMBEDDING"
    EMBEDDING_FAILED = "EMBEDDING_FAILED"


class ObjectiveComplexity(DatabaseEnum):
    BASIC = "BASIC"
    INTERMEDIATE = "INTERMEDIATE"
    ADVANCED = "ADVANCED"


class MasteryLevel(DatabaseEnum):
    NOT_STARTED = "NOT_STARTED"
    BEGINNER = "BEGINNER"
    INTERMEDIATE = "INTERMEDIATE"
    ADVANCED = "ADVANCED"
    MASTERED = "MASTERED"


class MissionStatus(DatabaseEnum):
    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    SKIPPED = "SKIPPED"


class CardType(DatabaseEnum):
    BASIC = "BASIC"
    CLOZE = "CLOZE"
    CLINICAL_REASONING = "CLINICAL_REASONING"


class ReviewRating(DatabaseEnum):
    AGAIN = "AGAIN"
    HARD = "HARD"
    GOOD = "GOOD"
    EASY = "EASY"


class PromptType(DatabaseEnum):
    EXPLAIN_TO_PATIENT = "EXPLAIN_TO_PATIENT"
    CLINICAL_REASONING = "CLINICAL_REASONING"
    CONTROLLED_FAILURE = "CONTROLLED_FAILURE"


class PriorityLevel(DatabaseEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class FeedbackRating(DatabaseEnum):
    TOO_HIGH = "TOO_HIGH"
    JUST_RIGHT = "JUST_RIGHT"
    TOO_LOW = "TOO_LOW"


class AchievementType(DatabaseEnum):
    STREAK_MILESTONE = "STREAK_MILESTONE"
    OBJECTIVES_COMPLETED = "OBJECTIVES_COMPLETED"
    CARDS_MASTERED = "CARDS_MASTERED"
    PERFECT_SESSION = "PERFECT_SESSION"
    EARLY_BIRD = "EARLY_BIRD"
    NIGHT_OWL = "NIGHT_OWL"


class AchievementTier(DatabaseEnum):
    BRONZE = "BRONZE"
    SILVER = "SILVER"
    GOLD = "GOLD"
    PLATINUM = "PLATINUM"


class GoalType(DatabaseEnum):
    TIME_BASED = "TIME_BASED"
    OBJECTIVE_BASED = "OBJECTIVE_BASED"
    REVIEW_BASED = "REVIEW_BASED"


class GoalPeriod(DatabaseEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


class AnalyticsPeriod(DatabaseEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


class PaceRating(DatabaseEnum):
    TOO_SLOW = "TOO_SLOW"
    JUST_RIGHT = "JUST_RIGHT"
    TOO_FAST = "TOO_FAST"


class ReviewPeriod(DatabaseEnum):
    WEEK = "WEEK"
    MONTH = "MONTH"


class CalibrationCategory(DatabaseEnum):
    OVERCONFIDENT = "OVERCONFIDENT"
    UNDERCONFIDENT = "UNDERCONFIDENT"
    CALIBRATED = "CALIBRATED"
    UNKNOWN = "UNKNOWN"


class EmotionTag(DatabaseEnum):
    SURPRISE = "SURPRISE"
    CONFUSION = "CONFUSION"
    FRUSTRATION = "FRUSTRATION"
    AHA_MOMENT = "AHA_MOMENT"


class MasteryStatus(DatabaseEnum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    VERIFIED = "VERIFIED"


class ScenarioType(DatabaseEnum):
    DIAGNOSIS = "DIAGNOSIS"
    MANAGEMENT = "MANAGEMENT"
    DIFFERENTIAL = "DIFFERENTIAL"
    COMPLICATIONS = "COMPLICATIONS"
