import django_filters
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import conditional
from core.api.filters import IdFilter, OrderingFilter
from core.api.serializers import ModelSerializer, Serializer
from deputies import access
from deputies.access import scope_for
from deputies.permissions import scope_may

from . import selectors
from .models import RatingSnapshot

CACHE_SECONDS = 300  # as the page's table (templates/ratings/region_table.html)


def _example(name, value):
    return OpenApiExample(name, value=value, response_only=True)


@extend_schema_serializer(
    examples=[
        _example(
            "row",
            {"deputy_id": 3, "deputy": "Антонова Мария Викторовна",
             "body": "Верховный Хурал Республики Тыва", "rank_region": 1, "rank_body": 1,
             "enough_data": True, "appeals_count": 42, "matured_count": 38,
             "on_time_count": 35, "on_time_low": 0.79, "on_time_high": 0.97,
             "median_days": 9.5, "feedback_voices": 12, "average_feedback": 4.4,
             "solved_share": 0.67, "speed": 0.86, "quality": 0.81, "score": 83.6,
             "previous_score": 81.2, "change": 2.4, "rank_band_best": 1,
             "rank_band_worst": 3, "score_low": 78.1, "score_high": 89.0,
             "open_appeals": 7, "appeals_per_month": 3.5,
             "computed_at": "2026-11-23T02:30:00+03:00"},
        )
    ]
)  # fmt: skip
class SnapshotSerializer(ModelSerializer):
    """A deputy's row of the rating table: the counts it rests on, its parts (speed,
    quality, each 0 to 1) and the score (0 to 100). Rows without `enough_data` have no
    rank; `on_time_low`–`on_time_high` is the 95 % (Wilson) interval of the on-time share.
    `score_low`–`score_high` is the score's 95 % credible interval (the same Bayesian
    model as the score); `rank_band_best`–`rank_band_worst` are the places it allows:
    deputies whose intervals overlap share them. `open_appeals` is the deputy's load now,
    `appeals_per_month` the window's appeals a month."""

    deputy = serializers.CharField(source="deputy.full_name", help_text="The deputy's name.")
    deputy_id = serializers.IntegerField(help_text="As in `/deputies/{id}/`.")
    body = serializers.CharField(source="body.name", help_text="The deputy's body.")
    change = serializers.FloatField(
        allow_null=True, help_text="score − previous_score; null without a previous table."
    )
    rank_band_best = serializers.IntegerField(
        source="band.best", allow_null=True, help_text="The best place; null when unranked."
    )
    rank_band_worst = serializers.IntegerField(
        source="band.worst", allow_null=True, help_text="The worst place; null when unranked."
    )
    score_low = serializers.FloatField(source="band.score_low", allow_null=True)
    score_high = serializers.FloatField(source="band.score_high", allow_null=True)
    open_appeals = serializers.IntegerField(source="deputy.open_appeals")
    appeals_per_month = serializers.FloatField(
        source="per_month", help_text="Appeals a month over the rating's window."
    )

    class Meta:
        model = RatingSnapshot
        fields = [
            "deputy_id", "deputy", "body", "rank_region", "rank_body", "enough_data",
            "appeals_count", "matured_count", "on_time_count", "on_time_low", "on_time_high",
            "median_days", "feedback_voices", "average_feedback", "solved_share", "speed",
            "quality", "score", "previous_score", "change", "rank_band_best", "rank_band_worst",
            "score_low", "score_high", "open_appeals", "appeals_per_month", "computed_at",
        ]  # fmt: skip


@extend_schema_serializer(
    examples=[
        _example(
            "day",
            {"computed_at": "2026-11-23T02:30:00+03:00", "score": 83.6, "rank_region": 1,
             "enough_data": True},
        )
    ]
)  # fmt: skip
class HistoryPointSerializer(ModelSerializer):
    """The deputy's score and rank in the region on one day."""

    class Meta:
        model = RatingSnapshot
        fields = ["computed_at", "score", "rank_region", "enough_data"]


@extend_schema_serializer(
    examples=[
        _example(
            "region",
            {"region": "17", "deputies": 32, "rated": 27, "on_time_share": 0.91,
             "average_feedback": 4.1, "average_score": 74.2, "queue_median_days": 2.5,
             "queue_past_due": 3, "queue_waiting": 4, "queue_waiting_past_due": 1},
        )
    ]
)  # fmt: skip
class RegionComparisonSerializer(Serializer):
    """One region in the comparison: its deputies, how many are rated, and its averages
    over the rated ones; then the committee's own figures of its unassigned queue over
    the rating's window (days an appeal waited for a deputy, which never count for a
    deputy): the median, how many waited past the committee's 7 days, and how many wait
    now (of them past 7 days). A region with a queue but no rating has a row too."""

    region = serializers.CharField(source="region__code")
    deputies = serializers.IntegerField()
    rated = serializers.IntegerField()
    on_time_share = serializers.FloatField(allow_null=True)
    average_feedback = serializers.FloatField(allow_null=True)
    average_score = serializers.FloatField(allow_null=True)
    queue_median_days = serializers.FloatField(source="queue.median_days", allow_null=True)
    queue_past_due = serializers.IntegerField(source="queue.past_due")
    queue_waiting = serializers.IntegerField(source="queue.waiting")
    queue_waiting_past_due = serializers.IntegerField(source="queue.waiting_past_due")


class SnapshotFilter(django_filters.FilterSet):
    enough_data = django_filters.BooleanFilter()
    body = IdFilter("body_id")

    class Meta:
        model = RatingSnapshot
        fields = ["enough_data", "body"]


@extend_schema_view(
    get=extend_schema(
        operation_id="ratings_region_table",
        summary="Read a region's rating table",
        tags=["ratings"],
        parameters=[
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="The region's code.")
        ],
    )
)
class RegionRatingApi(generics.ListAPIView):
    """The current rating table of a region, rated deputies first by rank: for the
    region's committee and central office. The table is recomputed nightly and after
    answers and feedback; `computed_at` says when."""

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

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None or self.run is None:
            return page
        return selectors.with_bands_and_load(page, run=self.run, region_id=self.region.pk)

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


@extend_schema_view(
    get=extend_schema(
        operation_id="ratings_deputy_history",
        summary="Read a deputy's rating history",
        tags=["ratings"],
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The deputy's id.")
        ],
    )
)
class DeputyRatingHistoryApi(generics.ListAPIView):
    """A deputy's score and rank, a point a day over the last 400 days, oldest first: for
    the deputy, their region's committee and central office; another deputy is a 404."""

    # Which deputy is the selector's question: the deputy, and who reads the region.
    permission_classes = [IsAuthenticated]
    serializer_class = HistoryPointSerializer
    # Oldest first only: an `ordering` is refused (400), not ignored.
    filter_backends = [OrderingFilter]
    ordering_fields = []

    def get_queryset(self):
        scope = scope_for(self.request.user)
        deputy = selectors.deputy_for(scope=scope, pk=self.kwargs["pk"])
        return selectors.deputy_history(deputy_id=deputy.pk)


@extend_schema_view(
    get=extend_schema(
        operation_id="ratings_regions_compare", summary="Compare regions", tags=["ratings"]
    )
)
class RegionsComparisonApi(generics.ListAPIView):
    """Every region's averages from the current tables and its committee's queue
    figures, one row per region: for central office."""

    permission_classes = [IsAuthenticated, scope_may(access.may_compare_regions)]
    serializer_class = RegionComparisonSerializer
    filter_backends = [OrderingFilter]  # by region only: an `ordering` is refused
    ordering_fields = []

    def get_queryset(self):
        return selectors.regions_comparison_with_queue(
            run=selectors.run_as_of(None), now=timezone.now()
        )
