from americano.db.enums import DatabaseEnum


class RelationshipType(DatabaseEnum):
    PREREQUISITE = "PREREQUISITE"
    RELATED = "RELATED"
    INTEGRATED = "INTEGRATED"
    CLINICAL = "CLINICAL"


class AlertFrequency(DatabaseEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    IMMEDIATE = "IMMEDIATE"


class SuggestionType(DatabaseEnum):
    RECENT = "RECENT"
    POPULAR = "POPULAR"
    SAVED = "SAVED"
    RECOMMENDED = "RECOMMENDED"


class ChangeType(DatabaseEnum):
    DETECTED = "DETECTED"
    RESOLVED = "RESOLVED"
    REOPENED = "REOPENED"
    DISMISSED = "DISMISSED"
    EVIDENCE_UPDATED = "EVIDENCE_UPDATED"
    SOURCE_UPDATED = "SOURCE_UPDATED"


class ConflictSeverity(DatabaseEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class ConflictStatus(DatabaseEnum):
    ACTIVE = "ACTIVE"
    RESOLVED = "RESOLVED"
    DISMISSED = "DISMISSED"
    UNDER_REVIEW = "UNDER_REVIEW"


class ConflictType(DatabaseEnum):
    DOSAGE = "DOSAGE"
    CONTRAINDICATION = "CONTRAINDICATION"
    MECHANISM = "MECHANISM"
    TREATMENT = "TREATMENT"
    DIAGNOSIS = "DIAGNOSIS"
    PROGNOSIS = "PROGNOSIS"
    OTHER = "OTHER"


class ContentSourceType(DatabaseEnum):
    LECTURE = "LECTURE"
    FIRST_AID = "FIRST_AID"
    EXTERNAL_ARTICLE = "EXTERNAL_ARTICLE"
    CONCEPT_NOTE = "CONCEPT_NOTE"
    USER_NOTE = "USER_NOTE"


class RecommendationStatus(DatabaseEnum):
    PENDING = "PENDING"
    VIEWED = "VIEWED"
    DISMISSED = "DISMISSED"
    RATED = "RATED"


class SourceType(DatabaseEnum):
    FIRST_AID = "FIRST_AID"
    LECTURE = "LECTURE"
    TEXTBOOK = "TEXTBOOK"
    JOURNAL = "JOURNAL"
    GUIDELINE = "GUIDELINE"
    USER_NOTES = "USER_NOTES"


class TrustLevel(DatabaseEnum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"
    BLOCKED = "BLOCKED"
