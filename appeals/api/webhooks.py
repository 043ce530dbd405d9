"""Webhook subscriptions of organisation accounts, their delivery logs and a test ping.
The rules are appeals.webhooks' and deputies.access's; these views parse and render."""

import django_filters
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import fields
from core.api.filters import FilterBackend, OrderingFilter
from core.api.pagination import CursorPagination
from core.api.parsers import JSONParser
from core.api.serializers import ModelSerializer, Serializer
from deputies import access
from deputies.permissions import scope_may

from .. import webhooks
from ..models import WebhookDelivery, WebhookSubscription
from .examples import NUMBER, response

TAG = "webhooks"
EVENTS = WebhookSubscription.Event
DELIVERY_EVENTS = [*EVENTS.choices, (WebhookDelivery.PING, "Test ping")]

# The example values: one regional system's subscription and its log.
SUBSCRIPTION = {
    "id": 4,
    "name": "Region 77 CRM",
    "url": "https://crm.example.org/izbiratel/hook",
    "events": ["filed", "assigned", "answered", "rated"],
    "active": True,
    "created_at": "2026-12-01T09:30:00+03:00",
    "updated_at": "2026-12-01T09:30:00+03:00",
}
DELIVERED = {
    "id": 311,
    "event_id": "5b0f7c1e-8d2a-4f43-9a51-0c6e2d7b9f14",
    "event": "answered",
    "appeal": NUMBER,
    "status": "delivered",
    "attempts": 1,
    "next_try_at": None,
    "last_status_code": 200,
    "last_error": "",
    "created_at": "2026-12-02T11:05:00+03:00",
    "delivered_at": "2026-12-02T11:05:02+03:00",
}
PING = {
    **DELIVERED,
    "id": 312,
    "event_id": "c2e4a8f0-3b7d-4e19-8f6a-91d05b3c7e22",
    "event": "ping",
    "appeal": None,
    "status": "pending",
    "attempts": 0,
    "next_try_at": "2026-12-02T11:06:00+03:00",
    "last_status_code": None,
    "created_at": "2026-12-02T11:06:00+03:00",
    "delivered_at": None,
}
MADE = response(
    "Made, with the secret made up",
    {**SUBSCRIPTION, "secret": "whsec_3q9TzL0xWb7nE2kR5yUa8cJm1dHf6gPsVo4iXe0_BtN"},  # nosec B105
    summary="Keep the secret: it is not shown again.",
)

# --- serializers ------------------------------------------------------------------


@extend_schema_serializer(component_name="Webhook")  # WebhookRequest, PatchedWebhookRequest
class WebhookInput(Serializer):
    """A subscription as sent: a field it does not name is refused (400), not dropped."""

    name = fields.CharField(max_length=100, required=False, allow_blank=True)
    url = serializers.URLField(
        max_length=500, help_text="Where deliveries are POSTed: https, a public address."
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS.choices),
        allow_empty=False,
        min_length=1,  # allow_empty alone is not in the schema
        max_length=len(EVENTS.values),
    )
    secret = fields.CharField(
        write_only=True,
        trim_whitespace=False,  # taken as given: it signs the bytes the receiver checks
        required=False,
        min_length=webhooks.SECRET_MIN_LENGTH,
        max_length=webhooks.SECRET_MAX_LENGTH,
        help_text="Signs the deliveries. Left out on creation, one is made up and shown "
        "once in the answer. Never returned afterwards.",
    )
    active = fields.BooleanField(required=False, help_text="false pauses deliveries.")


@extend_schema_serializer(examples=[response("A subscription", SUBSCRIPTION)])
class WebhookSerializer(ModelSerializer):
    """A subscription: where deliveries go and which events; never its secret."""

    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS.choices))

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "events", "active", "created_at", "updated_at"]


class WebhookCreatedSerializer(WebhookSerializer):
    """A subscription just made, with the secret if the server made it up."""

    secret = serializers.CharField(
        allow_null=True,
        help_text="The secret the server made up, shown in this answer only; null when "
        "the request gave its own.",
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


@extend_schema_serializer(
    examples=[
        response("Delivered", DELIVERED),
        response("A ping, waiting to be sent", PING),
    ]
)
class WebhookDeliverySerializer(ModelSerializer):
    """One event sent (or being sent) to a subscription, with the outcome of its last try."""

    event = serializers.ChoiceField(choices=DELIVERY_EVENTS)
    appeal = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    event_id = serializers.UUIDField(
        help_text="Sent as X-Izbiratel-Delivery and as the body's id: the same on every "
        "attempt, for the receiver's deduplication."
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event_id", "event", "appeal", "status", "attempts", "next_try_at",
            "last_status_code", "last_error", "created_at", "delivered_at",
        ]  # fmt: skip


# --- filters and pages ------------------------------------------------------------


class WebhookFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter()

    class Meta:
        model = WebhookSubscription
        fields = ["active"]


class WebhookDeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=WebhookDelivery.Status.choices)
    event = django_filters.ChoiceFilter(choices=DELIVERY_EVENTS)

    class Meta:
        model = WebhookDelivery
        fields = ["status", "event"]


class DeliveryPages(CursorPagination):
    """The log grows without end: cursor pages in the selector's order (newest first),
    never counted."""

    page_size = 50


# --- views ------------------------------------------------------------------------

MAY_MANAGE = scope_may(access.may_manage_webhooks)


def _subscription(request, pk):
    return webhooks.webhook_subscription_get(scope=access.scope_for(request.user), pk=pk)


EXAMPLE = OpenApiExample(
    "A regional system",
    value={
        "name": "Region 77 CRM",
        "url": "https://crm.example.org/izbiratel/hook",
        "events": ["filed", "assigned", "answered", "rated"],
    },
    request_only=True,
)


class WebhookListCreateApi(generics.ListAPIView):
    """The caller's own subscriptions (committee and central-office accounts)."""

    permission_classes = [IsAuthenticated, MAY_MANAGE]
    parser_classes = [JSONParser]
    serializer_class = WebhookSerializer
    filterset_class = WebhookFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return webhooks.webhook_subscription_list(scope=access.scope_for(self.request.user))

    @extend_schema(tags=[TAG], summary="List your webhook subscriptions")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Subscribe a URL to appeal events",
        request=WebhookInput,
        responses={201: WebhookCreatedSerializer},
        examples=[EXAMPLE, MADE],  # the operation's examples replace the serializer's
    )
    def post(self, request):
        data = WebhookInput(data=request.data)
        data.is_valid(raise_exception=True)
        subscription, secret = webhooks.webhook_subscription_create(
            owner=request.user, **data.validated_data
        )
        body = {**WebhookSerializer(subscription).data, "secret": secret}
        location = reverse("api:webhook-detail", kwargs={"pk": subscription.pk})
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class WebhookDetailApi(APIView):
    permission_classes = [IsAuthenticated, MAY_MANAGE]
    parser_classes = [JSONParser]

    @extend_schema(tags=[TAG], summary="Read a subscription", responses=WebhookSerializer)
    def get(self, request, pk):
        return Response(WebhookSerializer(_subscription(request, pk)).data)

    @extend_schema(
        tags=[TAG],
        summary="Change a subscription (url, events, name, secret, active)",
        request=WebhookInput(partial=True),
        responses=WebhookSerializer,
        examples=[
            OpenApiExample("Pause deliveries", value={"active": False}, request_only=True),
            OpenApiExample(
                "Answers only, to a new address",
                value={"url": "https://crm.example.org/hooks/v2", "events": ["answered"]},
                request_only=True,
            ),
            response("Paused", {**SUBSCRIPTION, "active": False}),
        ],
    )
    def patch(self, request, pk):
        subscription = _subscription(request, pk)
        data = WebhookInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        subscription = webhooks.webhook_subscription_update(
            subscription=subscription, **data.validated_data
        )
        return Response(WebhookSerializer(subscription).data)

    @extend_schema(tags=[TAG], summary="Delete a subscription and its log", responses={204: None})
    def delete(self, request, pk):
        webhooks.webhook_subscription_delete(subscription=_subscription(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListApi(generics.ListAPIView):
    """The subscription's deliveries, newest first: event, status, attempts, the
    receiver's last status code or the error, the next try."""

    permission_classes = [IsAuthenticated, MAY_MANAGE]
    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilter
    pagination_class = DeliveryPages
    filter_backends = [FilterBackend, OrderingFilter]  # newest first only: `ordering` refused
    ordering_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's call
            return WebhookDelivery.objects.none()
        subscription = _subscription(self.request, self.kwargs["pk"])
        return webhooks.webhook_delivery_list(subscription=subscription)

    @extend_schema(tags=[TAG], summary="A subscription's delivery log")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class WebhookPingApi(APIView):
    """Queue a test delivery (event `ping`); it goes out within seconds and shows in the log."""

    permission_classes = [IsAuthenticated, MAY_MANAGE]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Send a test ping",
        request=None,
        responses={
            202: OpenApiResponse(WebhookDeliverySerializer, examples=[response("Queued", PING)])
        },
    )
    def post(self, request, pk):
        delivery = webhooks.webhook_ping(subscription=_subscription(request, pk))
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
