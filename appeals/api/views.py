"""The appeals API's views: the same selectors and services as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import Serializer
from core.errors import ApplicationError
from deputies.access import scope_for

from .. import selectors, services
from ..models import Topic
from ..throttling import FilingThrottle
from .filters import AppealFilter, TopicFilter
from .serializers import (
    AnswerInput,
    AppealCreateSerializer,
    AppealDetailSerializer,
    AppealSerializer,
    AssignInput,
    ExtendInput,
    FollowUpInput,
    RedirectInput,
    RejectInput,
    TopicSerializer,
    WithdrawInput,
)


def _scope(request):
    return scope_for(request.user)


def _respond(request, appeal, status_code=status.HTTP_200_OK):
    """The appeal as the caller may see it, its thread and history already loaded."""
    return Response(
        AppealDetailSerializer(appeal, context={"scope": _scope(request)}).data, status=status_code
    )


def _detail(request, appeal):
    """After an action: read the appeal again with its thread."""
    return _respond(request, selectors.appeal_with_thread(appeal=appeal))


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The same key and body return the appeal created the first time (200).",
)


class AppealListCreateApi(generics.ListAPIView):
    """Appeals the caller may see: a citizen their own, a deputy those assigned, a
    committee its region's, central office all. Citizens file new ones."""

    permission_classes = [IsAuthenticated]

    serializer_class = AppealSerializer
    filterset_class = AppealFilter
    ordering_fields = ["registered_at", "deadline"]

    def get_queryset(self):
        return selectors.appeal_list(scope=_scope(self.request))

    def get_throttles(self):
        # A filing spends the citizen's filing budget, which is far below the general
        # one; counting it against both would cost two more cache round trips.
        if self.request.method == "POST":
            return [FilingThrottle()]
        return super().get_throttles()

    @extend_schema(
        request=AppealCreateSerializer,
        responses={201: AppealDetailSerializer, 200: AppealDetailSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def post(self, request):
        data = AppealCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 60:
            raise ValidationError({"Idempotency-Key": [_("At most 60 characters.")]})
        repeat_of = None
        if values.get("repeat_of"):
            try:
                repeat_of = selectors.appeal_own_for_repeat(
                    scope=_scope(request), number=values["repeat_of"]
                )
            except Http404:
                # 400 alike for a missing appeal and another's: nothing leaks.
                raise ValidationError({"repeat_of": [_("No such appeal among yours.")]}) from None
        appeal, created = services.appeal_file(
            citizen=request.user,
            region=values["region"],
            municipality=values.get("municipality"),
            topic=values["topic"],
            subject=values["subject"],
            text=values["text"],
            address=values.get("address", ""),
            chosen_deputy=values.get("deputy"),
            level=values.get("level", ""),
            consent=values["consent"],
            idempotency_key=f"api:{key}" if key else "",
            repeat_of=repeat_of,
        )
        if not created and (appeal.subject, appeal.text) != (
            values["subject"].strip(),
            values["text"].strip(),
        ):
            raise ApplicationError(
                _("This Idempotency-Key was used for a different appeal."),
                code="idempotency_reused",
            )
        if not created:
            return _detail(request, appeal)
        return _respond(request, selectors.appeal_just_filed(appeal=appeal), 201)


class AppealDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AppealDetailSerializer)
    def get(self, request, number):
        return _respond(request, selectors.appeal_for_api(scope=_scope(request), number=number))


class AppealActionApi(APIView):
    """Base of the appeal's actions: subclasses name their input and the action."""

    permission_classes = [IsAuthenticated]
    input_serializer = Serializer
    action = ""

    def post(self, request, number):
        scope = _scope(request)
        appeal = selectors.appeal_for_action(scope=scope, number=number)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.appeal_act(
            action=self.action, scope=scope, appeal=appeal, actor=request.user,
            data=data.validated_data,
        )  # fmt: skip
        return _detail(request, appeal)


def _action(name, input_class, action, doc):
    cls = type(
        f"Appeal{name.title()}Api",
        (AppealActionApi,),
        {"input_serializer": input_class, "action": action, "__doc__": doc},
    )

    # A function of its own per action: extend_schema marks the function object, and the
    # shared base method would document every action with the last one's input.
    def post(self, request, number):
        return AppealActionApi.post(self, request, number)

    cls.post = extend_schema(request=input_class, responses=AppealDetailSerializer)(post)
    return cls


AppealAssignApi = _action(
    "assign",
    AssignInput,
    "assign",
    "The region's committee assigns an unassigned or overdue appeal to a deputy.",
)
AppealRedirectApi = _action(
    "redirect",
    RedirectInput,
    "redirect",
    "The deputy redirects the appeal to another deputy of the region within 7 days.",
)
AppealExtendApi = _action(
    "extend", ExtendInput, "extend", "The deputy extends the deadline once, by at most 30 days."
)
AppealAnswerApi = _action(
    "answer",
    AnswerInput,
    "reply",
    "The deputy replies: the final answer, or an interim reply with final=false; after "
    "the final answer, until the appeal closes, a supplementary answer.",
)
AppealRejectApi = _action(
    "reject", RejectInput, "reject", "The deputy rejects the appeal on a ground of the law."
)
AppealWithdrawApi = _action(
    "withdraw", WithdrawInput, "withdraw", "The citizen withdraws an open appeal."
)
AppealFollowUpApi = _action(
    "follow_up",
    FollowUpInput,
    "follow_up",
    "The citizen writes in the appeal's thread (the deputy writes through answer/, which "
    "after the final answer adds a supplementary answer).",
)


class TopicListApi(generics.ListAPIView):
    queryset = Topic.objects.filter(is_active=True).order_by("position")
    serializer_class = TopicSerializer
    filterset_class = TopicFilter
