"""factory-boy factories for the content models, used by the tests and seed_demo."""

import factory
from factory.django import DjangoModelFactory

from americano.db.fields import new_cuid
from content import models
from content.enums import (
    ChangeType,
    ConflictSeverity,
    ConflictType,
    ContentSourceType,
    RelationshipType,
    SourceType,
    SuggestionType,
    TrustLevel,
)


class ContentChunkFactory(DjangoModelFactory):
    class Meta:
        model = models.ContentChunk

    lecture = factory.SubFactory("learning.factories.LectureFactory")
    content = factory.Faker("sentence")
    chunk_index = factory.Faker("random_int", min=1, max=100)


class ConceptFactory(DjangoModelFactory):
    class Meta:
        model = models.Concept

    name = factory.Sequence(lambda n: f"concept {n}")


class ConceptRelationshipFactory(DjangoModelFactory):
    class Meta:
        model = models.ConceptRelationship

    from_concept = factory.SubFactory("content.factories.ConceptFactory")
    to_concept = factory.SubFactory("content.factories.ConceptFactory")
    relationship = factory.Iterator(RelationshipType.values)


class ConflictFlagFactory(DjangoModelFactory):
    class Meta:
        model = models.ConflictFlag

    user_id = factory.LazyFunction(new_cuid)
    source_a_chunk_id = factory.LazyFunction(new_cuid)
    source_b_chunk_id = factory.LazyFunction(new_cuid)
    description = factory.Faker("sentence")


class ConflictHistoryFactory(DjangoModelFactory):
    class Meta:
        model = models.ConflictHistory

    conflict = factory.SubFactory("content.factories.ConflictFactory")
    change_type = factory.Iterator(ChangeType.values)
    changed_by = factory.Faker("sentence")


class ConflictResolutionFactory(DjangoModelFactory):
    class Meta:
        model = models.ConflictResolution

    conflict = factory.SubFactory("content.factories.ConflictFactory")
    resolved_by = factory.Faker("sentence")
    resolution = factory.Faker("sentence")


class ConflictFactory(DjangoModelFactory):
    class Meta:
        model = models.Conflict

    source_a_chunk = factory.SubFactory("content.factories.ContentChunkFactory")
    source_b_chunk = factory.SubFactory("content.factories.ContentChunkFactory")
    conflict_type = factory.Iterator(ConflictType.values)
    severity = factory.Iterator(ConflictSeverity.values)
    description = factory.Faker("sentence")


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = models.Source

    name = factory.Sequence(lambda n: f"source {n}")
    type = factory.Iterator(SourceType.values)
    credibility_score = factory.Faker("random_int", min=1, max=100)


class UserSourcePreferenceFactory(DjangoModelFactory):
    class Meta:
        model = models.UserSourcePreference

    user_id = factory.LazyFunction(new_cuid)
    source = factory.SubFactory("content.factories.SourceFactory")
    trust_level = factory.Iterator(TrustLevel.values)
    priority = factory.Faker("random_int", min=1, max=100)


class FirstAidSectionFactory(DjangoModelFactory):
    class Meta:
        model = models.FirstAidSection

    edition = factory.Faker("sentence")
    year = factory.Faker("random_int", min=1, max=100)
    system = factory.Faker("sentence")
    section = factory.Faker("sentence")
    page_number = factory.Faker("random_int", min=1, max=100)
    content = factory.Faker("sentence")


class LectureFirstAidMappingFactory(DjangoModelFactory):
    class Meta:
        model = models.LectureFirstAidMapping

    lecture_id = factory.LazyFunction(new_cuid)
    first_aid_section = factory.SubFactory("content.factories.FirstAidSectionFactory")
    confidence = factory.Faker("pyfloat", min_value=0, max_value=1)


class ContentRecommendationFactory(DjangoModelFactory):
    class Meta:
        model = models.ContentRecommendation

    user_id = factory.LazyFunction(new_cuid)
    recommended_content = factory.SubFactory("content.factories.ContentChunkFactory")
    score = factory.Faker("pyfloat", min_value=0, max_value=1)
    reasoning = factory.Faker("sentence")
    context_type = factory.Faker("sentence")
    context_id = factory.LazyFunction(new_cuid)
    source_type = factory.Iterator(ContentSourceType.values)


class RecommendationAnalyticsFactory(DjangoModelFactory):
    class Meta:
        model = models.RecommendationAnalytics

    user_id = factory.LazyFunction(new_cuid)
    total_recommendations = factory.Faker("random_int", min=1, max=100)
    viewed_count = factory.Faker("random_int", min=1, max=100)
    clicked_count = factory.Faker("random_int", min=1, max=100)
    dismissed_count = factory.Faker("random_int", min=1, max=100)
    top_source_types = factory.LazyFunction(dict)


class RecommendationFeedbackFactory(DjangoModelFactory):
    class Meta:
        model = models.RecommendationFeedback

    recommendation = factory.SubFactory("content.factories.ContentRecommendationFactory")
    user_id = factory.LazyFunction(new_cuid)
    rating = factory.Faker("random_int", min=1, max=100)


class SearchClickFactory(DjangoModelFactory):
    class Meta:
        model = models.SearchClick

    search_query = factory.SubFactory("content.factories.SearchQueryFactory")
    user_id = factory.LazyFunction(new_cuid)
    result_id = factory.LazyFunction(new_cuid)
    result_type = factory.Faker("sentence")
    position = factory.Faker("random_int", min=1, max=100)


class SearchQueryFactory(DjangoModelFactory):
    class Meta:
        model = models.SearchQuery

    user_id = factory.LazyFunction(new_cuid)
    query = factory.Faker("sentence")


class SavedSearchFactory(DjangoModelFactory):
    class Meta:
        model = models.SavedSearch

    user_id = factory.LazyFunction(new_cuid)
    name = factory.Sequence(lambda n: f"saved search {n}")
    query = factory.Faker("sentence")


class SearchSuggestionFactory(DjangoModelFactory):
    class Meta:
        model = models.SearchSuggestion

    term = factory.Sequence(lambda n: f"term-{n}")
    suggestion_type = factory.Iterator(SuggestionType.values)


class SearchAlertFactory(DjangoModelFactory):
    class Meta:
        model = models.SearchAlert

    saved_search = factory.SubFactory("content.factories.SavedSearchFactory")
    user_id = factory.LazyFunction(new_cuid)
    triggered_by = factory.Faker("sentence")
    triggered_type = factory.Faker("sentence")
    new_result_count = factory.Faker("random_int", min=1, max=100)


class SearchAnalyticsFactory(DjangoModelFactory):
    class Meta:
        model = models.SearchAnalytics

    query = factory.Faker("sentence")
    avg_result_count = factory.Faker("pyfloat", min_value=0, max_value=1)
