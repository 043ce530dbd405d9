"""Public read API of the reference data and the deputies."""

import django_filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from core.api.filters import IdFilter
from core.api.serializers import ModelSerializer

from .models import Body, Deputy, Municipality, Region


def _example(name, value):
    return OpenApiExample(name, value=value, response_only=True)


@extend_schema_serializer(
    examples=[_example("region", {"code": "17", "name": "Республика Тыва", "name_en": "Tuva"})]
)
class RegionSerializer(ModelSerializer):
    """A region: `code` is its two-digit code, used wherever a region is named."""

    class Meta:
        model = Region
        fields = ["code", "name", "name_en"]


@extend_schema_serializer(
    examples=[
        _example(
            "municipality",
            {"id": 17, "region": "17", "parent": None, "name": "Кызыл", "name_en": "Kyzyl",
             "kind": "city", "oktmo": "", "is_admin_centre": True},
        )
    ]
)  # fmt: skip
class MunicipalitySerializer(ModelSerializer):
    """A municipality of a region; `is_admin_centre` marks the region's capital,
    `parent` the place it is part of (a city's district, a district's unit), `oktmo`
    its code in the official classifier (empty where not yet loaded)."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "region", "parent", "name", "name_en", "kind", "oktmo", "is_admin_centre"]


@extend_schema_serializer(
    examples=[
        _example(
            "body",
            {"id": 4, "region": "17", "municipality": None, "level": "regional",
             "name": "Верховный Хурал Республики Тыва", "name_en": "Great Khural of Tuva"},
        )
    ]
)  # fmt: skip
class BodySerializer(ModelSerializer):
    """A representative body: the region's legislature (`municipality` null) or a
    municipality's council."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Body
        fields = ["id", "region", "municipality", "level", "name", "name_en"]


@extend_schema_serializer(
    examples=[
        _example(
            "deputy",
            {"id": 3, "full_name": "Антонова Мария Викторовна", "region": "17", "body": 4,
             "district": "Округ № 2", "faction": "Независимые", "accepts_appeals": True},
        )
    ]
)  # fmt: skip
class DeputySerializer(ModelSerializer):
    """A deputy: their body, electoral district (null for list seats) and whether they
    accept appeals now (an appeal to one who does not is refused)."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district = serializers.CharField(source="district.name", read_only=True, allow_null=True)

    class Meta:
        model = Deputy
        fields = ["id", "full_name", "region", "body", "district", "faction", "accepts_appeals"]


class RegionFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["name"]


class MunicipalityFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code")

    parent = IdFilter("parent_id")

    class Meta:
        model = Municipality
        fields = ["region", "is_admin_centre", "parent", "kind", "oktmo"]


class BodyFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code")

    municipality = IdFilter("municipality_id")

    class Meta:
        model = Body
        fields = ["region", "level", "municipality"]


class DeputyFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code")
    name = django_filters.CharFilter(field_name="full_name", lookup_expr="icontains")

    body = IdFilter("body_id")

    class Meta:
        model = Deputy
        fields = ["region", "body", "accepts_appeals", "name"]


def _read(resource, plural, about, lookup="id"):
    """Summaries, descriptions and operationIds of a reference list and its item."""
    path = OpenApiParameter(lookup, str if lookup == "code" else int, OpenApiParameter.PATH)
    return extend_schema_view(
        list=extend_schema(
            operation_id=f"{plural}_list", summary=f"List {plural}", description=about
        ),
        retrieve=extend_schema(
            operation_id=f"{plural}_retrieve",
            summary=f"Read a {resource}",
            description=f"One {resource} by its {lookup}; 404 if there is none.",
            parameters=[path],
        ),
    )


@_read("region", "regions", "Every region, by code. Public.", lookup="code")
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.order_by("code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]


@_read("municipality", "municipalities", "Municipalities, by region and name. Public.")
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Municipality.objects.select_related("region").order_by("region__code", "name", "pk")
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    ordering_fields = ["name"]


@_read("body", "bodies", "Representative bodies, regional first within a region. Public.")
class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Body.objects.select_related("region").order_by("region__code", "level", "pk")
    serializer_class = BodySerializer
    filterset_class = BodyFilter
    ordering_fields = ["name", "level"]


@_read("deputy", "deputies", "Deputies by name; filter by region or body. Public.")
class DeputyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Deputy.objects.select_related("region", "district").order_by("full_name", "pk")
    serializer_class = DeputySerializer
    filterset_class = DeputyFilter
    ordering_fields = ["full_name", "open_appeals"]
