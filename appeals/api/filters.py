"""The appeals API's FilterSets."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from core.api.filters import IdFilter
from deputies.access import scope_for

from .. import search
from ..filters import AppealStatusFilter, topic_with_subtopics
from ..models import Appeal, Topic

SEARCH_HELP = (
    "A number (whole, or its end as `000123`) or words, in any form («подъезде» finds "
    "«подъезд», «парадная» too). The results come best match first unless `ordering` is "
    "given; the cursor keeps that order."
)


@extend_schema_field({"type": "string", "maxLength": search.MAX_QUERY, "description": SEARCH_HELP})
class SearchFilter(django_filters.CharFilter):
    """Text of at most MAX_QUERY characters: a longer one is a 400, as the schema says."""


class AppealFilter(AppealStatusFilter):
    topic = django_filters.CharFilter(
        method="filter_topic", help_text="A topic's slug; a top topic's takes in its subtopics."
    )
    region = django_filters.CharFilter(field_name="region__code")
    municipality = IdFilter("municipality_id")
    deputy = IdFilter("deputy_id")
    registered_after = django_filters.DateFilter(
        field_name="registered_at", lookup_expr="date__gte"
    )
    registered_before = django_filters.DateFilter(
        field_name="registered_at", lookup_expr="date__lte"
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    search = SearchFilter(
        method="filter_search",
        max_length=search.MAX_QUERY,
    )

    class Meta:
        model = Appeal
        fields = ["status", "topic", "region", "municipality", "deputy"]

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topic_id__in=topic_with_subtopics(slug=value))

    def filter_search(self, queryset, name, value):
        return search.search(queryset, value, scope=scope_for(self.request.user))

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = queryset.filter(status__in=Appeal.OPEN_STATUSES, deadline__lt=today)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class TopicFilter(django_filters.FilterSet):
    slug = django_filters.CharFilter()
    parent = django_filters.CharFilter(
        field_name="parent__slug", help_text="The subtopics of the top topic with this slug."
    )
    top = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", help_text="true: the top topics only."
    )

    class Meta:
        model = Topic
        fields = ["slug", "parent", "top"]
