import django_filters
from django.core.cache import cache
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import conditional
from core.api.filters import IdFilter
from core.api.serializers import ModelSerializer, Serializer
from deputies import access
from deputies.access import scope_for
from deputies.permissions import scope_may

from . import selectors
from .models import RatingSnapshot

CACHE_SECONDS = 300  # as the page's table (templates/ratings/region_table.html)


class SnapshotSerializer(ModelSerializer):
    deputy = serializers.CharField(source="deputy.full_name")
    deputy_id = serializers.IntegerField()
    body = serializers.CharField(source="body.name")
    change = serializers.FloatField(allow_null=True)

    class Meta:
        model = RatingSnapshot
        fields = [
            "deputy_id", "deputy", "body", "rank_region", "rank_body", "enough_data",
            "appeals_count", "matured_count", "on_time_count", "on_time_low", "on_time_high",
            "median_days", "feedback_voices", "average_feedback", "solved_share", "speed",
            "quality", "score", "previous_score", "change", "computed_at",
        ]  # fmt: skip


class HistoryPointSerializer(ModelSerializer):
    class Meta:
        model = RatingSnapshot
        fields = ["computed_at", "score", "rank_region", "enough_data"]


class RegionComparisonSerializer(Serializer):
    region = serializers.CharField(source="region__code")
    deputies = serializers.IntegerField()
    rated = serializers.IntegerField()
    on_time_share = serializers.FloatField(allow_null=True)
    average_feedback = serializers.FloatField(allow_null=True)
    average_score = serializers.FloatField(allow_null=True)


class SnapshotFilter(django_filters.FilterSet):
    enough_data = django_filters.BooleanFilter()
    body = IdFilter("body_id")

    class Meta:
        model = RatingSnapshot
        fields = ["enough_data", "body"]


class RegionRatingApi(generics.ListAPIView):
    """The current rating table of a region (committee of the region, central office),
    rated deputies by rank first."""

    permission_classes = [IsAuthenticated, scope_may(access.may_read_ratings)]
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter
    ordering_fields = ["score", "rank_region", "median_days", "appeals_count"]

    queryset = RatingSnapshot.objects.none()  # for the schema; the real one is per caller

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if self.run is None:
            return RatingSnapshot.objects.none()
        return selectors.rating_table(run=self.run, region_id=self.region.pk)

    @extend_schema(operation_id="v1_ratings_region_table")
    def get(self, request, *args, **kwargs):
        scope = scope_for(request.user)
        self.region = selectors.region_for(scope=scope, code=self.kwargs["code"])
        self.run = selectors.run_as_of(None, region_id=self.region.pk)
        if self.run is None:
            return super().get(request, *args, **kwargs)
        # A run's rows never change, so its answers are cached as the page's table is: a
        # new run is a new key. The address is in the key for the pages' links. The same
        # makes the entity tag: a client holding this run's answer gets 304 at once.
        address = request.build_absolute_uri()
        etag = conditional.tag("rating", self.run.pk, self.region.pk, address, get_language())
        unchanged = conditional.not_modified(request, etag)
        if unchanged is not None:
            return unchanged
        key = f"rating-api:{self.run.pk}:{self.region.pk}:{address}"
        data = cache.get(key)
        if data is None:
            data = super().get(request, *args, **kwargs).data
            cache.set(key, data, CACHE_SECONDS)
        return conditional.tagged(Response(data), etag)


class DeputyRatingHistoryApi(generics.ListAPIView):
    """A deputy's rating history, a point a day: the deputy, the region's committee,
    central office. Bounded to 400 days, so not filterable."""

    # Which deputy is the selector's question: the deputy, and who reads the region.
    permission_classes = [IsAuthenticated]
    serializer_class = HistoryPointSerializer
    filter_backends = []

    def get_queryset(self):
        scope = scope_for(self.request.user)
        deputy = selectors.deputy_for(scope=scope, pk=self.kwargs["pk"])
        return selectors.deputy_history(deputy_id=deputy.pk)


class RegionsComparisonApi(generics.ListAPIView):
    """Regions compared (central office): one row per region."""

    permission_classes = [IsAuthenticated, scope_may(access.may_compare_regions)]
    serializer_class = RegionComparisonSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.regions_comparison_rows(run=selectors.run_as_of(None))
