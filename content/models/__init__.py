from content.models.chunks import Concept, ConceptRelationship, ContentChunk
from content.models.conflicts import (
    Conflict,
    ConflictFlag,
    ConflictHistory,
    ConflictResolution,
    Source,
    UserSourcePreference,
)
from content.models.first_aid import FirstAidSection, LectureFirstAidMapping
from content.models.recommendations import (
    ContentRecommendation,
    RecommendationAnalytics,
    RecommendationFeedback,
)
from content.models.search import (
    SavedSearch,
    SearchAlert,
    SearchAnalytics,
    SearchClick,
    SearchQuery,
    SearchSuggestion,
)

__all__ = [
    "Concept",
    "ConceptRelationship",
    "Conflict",
    "ConflictFlag",
    "ConflictHistory",
    "ConflictResolution",
    "ContentChunk",
    "ContentRecommendation",
    "FirstAidSection",
    "LectureFirstAidMapping",
    "RecommendationAnalytics",
    "RecommendationFeedback",
    "SavedSearch",
    "SearchAlert",
    "SearchAnalytics",
    "SearchClick",
    "SearchQuery",
    "SearchSuggestion",
    "Source",
    "UserSourcePreference",
]
