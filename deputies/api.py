"""Public read API of the reference data and the deputies."""

import django_filters
from rest_framework import serializers, viewsets

from core.api.filters import IdFilter
from core.api.serializers import ModelSerializer

from .models import Body, Deputy, Municipality, Region


class RegionSerializer(ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "name_en"]


class MunicipalitySerializer(ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "region", "name", "name_en", "is_admin_centre"]


class BodySerializer(ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Body
        fields = ["id", "region", "municipality", "level", "name", "name_en"]


class DeputySerializer(ModelSerializer):
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

    class Meta:
        model = Municipality
        fields = ["region", "is_admin_centre"]


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


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.order_by("code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Municipality.objects.select_related("region").order_by("region__code", "name", "pk")
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    ordering_fields = ["name"]


class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Body.objects.select_related("region").order_by("region__code", "level", "pk")
    serializer_class = BodySerializer
    filterset_class = BodyFilter
    ordering_fields = ["name", "level"]


class DeputyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Deputy.objects.select_related("region", "district").order_by("full_name", "pk")
    serializer_class = DeputySerializer
    filterset_class = DeputyFilter
    ordering_fields = ["full_name", "open_appeals"]
