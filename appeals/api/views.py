"""The appeals API's views: the same selectors and services as the pages."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import idempotency
from core.api.conditional import ETagFromBody
from core.api.idempotency import IDEMPOTENCY_KEY, IdempotentCreate
from core.api.pagination import CursorPagination
from core.api.serializers import Serializer
from core.errors import ApplicationError
from deputies.access import scope_for

from .. import selectors, services
from ..models import Topic
from ..services import collective
from ..throttling import FilingThrottle
from .filters import AppealFilter, TopicFilter
from .serializers import (
    AnswerInput,
    AppealCreateSerializer,
    AppealDetailSerializer,
    AppealSerializer,
    AssignInput,
    CollectiveJoinInput,
    CollectiveJoinOutput,
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


NUMBER = OpenApiParameter(
    "number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The appeal's number, as `17-2026-000004`.",
)
SEE_APPEALS = (
    "A citizen sees their own appeals, a deputy those assigned to them, a region's "
    "committee its region's, central office all; any other number is a 404."
)


@extend_schema_view(
    get=extend_schema(
        operation_id="appeals_list",
        summary="List appeals",
        description=SEE_APPEALS + " Newest first unless `ordering` says otherwise.",
    )
)
class AppealListCreateApi(IdempotentCreate, generics.ListAPIView):
    """Appeals the caller may see; citizens file new ones."""

    may_conflict = True  # 409: core.api.schema lists it

    permission_classes = [IsAuthenticated]

    serializer_class = AppealSerializer
    filterset_class = AppealFilter
    ordering_fields = ["registered_at", "deadline"]
    pagination_class = CursorPagination  # no COUNT of a list meant to reach millions

    def get_queryset(self):
        return selectors.appeal_list(scope=_scope(self.request))

    def get_throttles(self):
        # A filing spends the citizen's filing budget, which is far below the general
        # one; counting it against both would cost two more cache round trips.
        if self.request.method == "POST":
            return [FilingThrottle()]
        return super().get_throttles()

    def find_replay(self, request, key):
        return selectors.appeal_filed_with_key(citizen=request.user, key=f"api:{key}")

    @extend_schema(
        operation_id="appeals_create",
        summary="File an appeal",
        description="A citizen files an appeal. The answer is the appeal as filed, with its "
        "number and deadline (30 days, by law). Filing is limited per minute and per day "
        "(429 with Retry-After).",
        request=AppealCreateSerializer,
        responses={201: AppealDetailSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def post(self, request):
        data = AppealCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        key = idempotency.key_from(request)
        repeat_of = None
        if values.get("repeat_of"):
            try:
                repeat_of = selectors.appeal_own_for_repeat(
                    scope=_scope(request), number=values["repeat_of"]
                )
            except Http404:
                # 400 alike for a missing appeal and another's: nothing leaks.
                raise ValidationError({"repeat_of": [_("No such appeal among yours.")]}) from None
        if self.replay is not None:  # the budget is spent, but this was filed before
            appeal, created = self.replay, False
        else:
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
        if created:
            appeal = selectors.appeal_just_filed(appeal=appeal)
        elif not services.filing_matches(
            appeal,
            region=values["region"],
            topic=values["topic"],
            subject=values["subject"],
            text=values["text"],
            municipality=values.get("municipality"),
            address=values.get("address", ""),
            chosen_deputy=values.get("deputy"),
            repeat_of=repeat_of,
        ):
            raise ApplicationError(
                _("This Idempotency-Key was used for a different appeal."),
                code="idempotency_reused",
            )
        else:
            self.replayed(request)
            appeal = selectors.appeal_with_thread(appeal=appeal)
        location = reverse("api:appeal-detail", kwargs={"number": appeal.number})
        return idempotency.created(
            _respond(request, appeal, status.HTTP_201_CREATED), location, replayed=not created
        )


class AppealDetailApi(ETagFromBody, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="appeals_retrieve",
        summary="Read an appeal",
        description="The appeal with its letter, thread and history. " + SEE_APPEALS,
        parameters=[NUMBER],
        responses=AppealDetailSerializer,
    )
    def get(self, request, number):
        return _respond(request, selectors.appeal_for_api(scope=_scope(request), number=number))


class AppealActionApi(APIView):
    """Base of the appeal's actions: subclasses name their input and the action."""

    may_conflict = True  # 409: core.api.schema lists it

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


ACTION_ERRORS = (
    " Answers with the appeal as it is now. An appeal the caller may not see is a 404; "
    "one they see but may not act on is a 403; an action its status does not allow is a "
    "409 with a `code`."
)


def _action(name, input_class, action, summary, doc, operation_id=None):
    cls = type(
        f"Appeal{name.title()}Api",
        (AppealActionApi,),
        {"input_serializer": input_class, "action": action, "__doc__": doc},
    )

    # A function of its own per action: extend_schema marks the function object, and the
    # shared base method would document every action with the last one's input.
    def post(self, request, number):
        return AppealActionApi.post(self, request, number)

    cls.post = extend_schema(
        operation_id=operation_id or f"appeals_{name}",
        summary=summary,
        description=doc + ACTION_ERRORS,
        parameters=[NUMBER],
        request=input_class,
        responses=AppealDetailSerializer,
    )(post)
    return cls


AppealAssignApi = _action(
    "assign",
    AssignInput,
    "assign",
    "Assign to a deputy",
    "The region's committee assigns an appeal waiting in its queue (no deputy could be "
    "chosen) or overdue to a deputy of the region.",
)
AppealRedirectApi = _action(
    "redirect",
    RedirectInput,
    "redirect",
    "Redirect to another deputy",
    "The deputy passes the appeal to another deputy of the region, within 7 days of "
    "receiving it, saying why.",
)
AppealExtendApi = _action(
    "extend",
    ExtendInput,
    "extend",
    "Extend the deadline",
    "The deputy extends the deadline once, by 1 to 30 days, saying why.",
)
AppealAnswerApi = _action(
    "answer",
    AnswerInput,
    "reply",
    "Reply to the citizen",
    "The deputy replies: an interim reply (`final: false`, the appeal stays in progress) "
    "or the final answer (`final: true`, the appeal becomes answered; it closes when the "
    "citizen rates it or 14 days later). Until it closes, further replies are "
    "supplementary answers.",
)
AppealRejectApi = _action(
    "reject",
    RejectInput,
    "reject",
    "Reject on a ground of the law",
    "The deputy rejects an open appeal on one of the grounds the law allows.",
)
AppealWithdrawApi = _action(
    "withdraw",
    WithdrawInput,
    "withdraw",
    "Withdraw the appeal",
    "The citizen withdraws their open appeal.",
)
AppealFollowUpApi = _action(
    "messages",
    FollowUpInput,
    "follow_up",
    "Write in the thread",
    "The citizen writes in their appeal's thread (the deputy writes through `answer/`).",
)


class AppealCollectiveApi(AppealActionApi):
    """Join similar appeals into a collective appeal."""

    @extend_schema(
        operation_id="appeals_collective",
        summary="Join appeals into a collective appeal",
        description="The deputy (their open appeals) or the region's committee (open "
        "appeals of one deputy) joins this appeal and the appeals named into this "
        "appeal's collective appeal, made if it has none: the deputy answers them once on "
        "the site, each keeping its number, deadline and feedback. Appeals that cannot "
        "join are listed with the reason; the others join. An appeal the caller may not "
        "see is a 404; one they see but may not join is a 403.",
        parameters=[NUMBER],
        request=CollectiveJoinInput,
        responses=CollectiveJoinOutput,
    )
    def post(self, request, number):
        scope = _scope(request)
        appeal = selectors.appeal_for_action(scope=scope, number=number)
        data = CollectiveJoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = collective.collective_join(
            scope=scope, actor=request.user, appeal=appeal,
            numbers=data.validated_data["appeals"],
        )  # fmt: skip
        return Response(
            CollectiveJoinOutput(
                {
                    "collective": outcome.collective.pk,
                    "joined": [a.number for a in outcome.done],
                    "skipped": [{"number": n, "reason": why} for n, why in outcome.skipped],
                }
            ).data
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="topics_list",
        summary="List topics",
        description="The active topics of the two-level tree, in the order the filing form "
        "shows them: each top topic followed by its subtopics (`parent` its slug). "
        "`parent=<slug>` lists one topic's subtopics, `top=true` the top topics only.",
    )
)
class TopicListApi(generics.ListAPIView):
    """The topics an appeal is filed under."""

    queryset = (
        Topic.objects.filter(is_active=True)
        .exclude(parent__is_active=False)
        .select_related("parent")
        .order_by("position")
    )
    serializer_class = TopicSerializer
    filterset_class = TopicFilter
    ordering_fields = []  # in the site's order only: an `ordering` is refused, not ignored
