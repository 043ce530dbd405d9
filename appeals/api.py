"""API v1 of appeals: the same services and access rules as the pages."""

import django_filters
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import IdFilter
from core.api.serializers import ModelSerializer, ReferenceSlugField, Serializer
from core.errors import ApplicationError
from deputies.access import can_read_appeal_text, can_read_event_reason, scope_for
from deputies.models import Body, Deputy, Municipality, Region

from . import selectors, services
from .models import Appeal, AppealEvent, Attachment, Message, Topic
from .throttling import FilingThrottle

# --- serializers ------------------------------------------------------------------


class TopicSerializer(ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "name_en"]


class DeputyRefSerializer(ModelSerializer):
    class Meta:
        model = Deputy
        fields = ["id", "full_name"]


class AttachmentSerializer(ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["token", "original_name", "content_type", "size"]


class MessageSerializer(ModelSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "kind", "text", "created_at", "attachments"]
        extra_kwargs = {
            "kind": {
                "help_text": "interim: a reply before the final answer; answer: the final "
                "answer; supplementary: the deputy's supplementary answer after the final "
                "one; follow_up: the citizen's message."
            }
        }


class FirstAppealSerializer(ModelSerializer):
    """The appeal a repeat disputes, as its reader sees it through the repeat."""

    messages = MessageSerializer(source="first_thread", many=True, read_only=True)

    class Meta:
        model = Appeal
        fields = ["number", "subject", "text", "registered_at", "answered_at", "messages"]


class EventSerializer(ModelSerializer):
    reason = serializers.SerializerMethodField()

    class Meta:
        model = AppealEvent
        fields = ["type", "created_at", "from_status", "to_status", "deputy", "reason"]

    def get_reason(self, event) -> str:
        """Empty where the reason is the citizen's own words and the caller may not read
        the appeal's text (the event itself still shows)."""
        if can_read_event_reason(self.context["scope"], event.appeal, event.type):
            return event.reason
        return ""


class AppealSerializer(ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    deputy = DeputyRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Appeal
        fields = [
            "number", "status", "region", "municipality", "topic", "subject", "deputy",
            "registered_at", "deadline", "extended_days", "answered_at", "closed_at",
        ]  # fmt: skip


class AppealDetailSerializer(AppealSerializer):
    text = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    citizen = serializers.SerializerMethodField()
    messages = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    repeat_of = serializers.SerializerMethodField(
        help_text="For a repeat appeal, the number of the appeal whose answer it disputes."
    )
    first_appeal = serializers.SerializerMethodField(
        help_text="For a repeat appeal, the disputed appeal's letter and correspondence, "
        "to those who may read the repeat; null otherwise."
    )

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "text", "address", "citizen", "extension_reason", "rejection_reason",
            "rejection_details", "messages", "events", "repeat_of", "first_appeal",
        ]  # fmt: skip

    def _scope(self):
        return self.context["scope"]

    def get_text(self, appeal) -> str | None:
        return appeal.text if can_read_appeal_text(self._scope(), appeal) else None

    def get_address(self, appeal) -> str | None:
        return appeal.address if can_read_appeal_text(self._scope(), appeal) else None

    def get_citizen(self, appeal) -> dict | None:
        return selectors.contacts_for(scope=self._scope(), appeal=appeal, via="api")

    def get_messages(self, appeal) -> list[dict]:
        if not can_read_appeal_text(self._scope(), appeal):
            return []
        messages = appeal.messages.all()
        # A new appeal has none: no serializer built for nothing (each filing's answer).
        return MessageSerializer(messages, many=True).data if messages else []

    def get_repeat_of(self, appeal) -> str | None:
        # Read only for a repeat: an ordinary appeal costs no query.
        return appeal.repeat_of.number if appeal.repeat_of_id else None

    @extend_schema_field(FirstAppealSerializer(allow_null=True))
    def get_first_appeal(self, appeal) -> dict | None:
        if not appeal.repeat_of_id:
            return None
        first = selectors.appeal_first_thread(scope=self._scope(), appeal=appeal)
        if first is None:
            return None
        first["appeal"].first_thread = first["thread"]
        return FirstAppealSerializer(first["appeal"]).data


class AppealCreateSerializer(Serializer):
    region = ReferenceSlugField(table="regions", slug_field="code", queryset=Region.objects.all())
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.all(), required=False, allow_null=True
    )
    level = serializers.ChoiceField(choices=Body.Level.choices, required=False, allow_blank=True)
    topic = ReferenceSlugField(
        table="active topics", slug_field="slug", queryset=Topic.objects.filter(is_active=True)
    )
    subject = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=20000)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    consent = serializers.BooleanField(
        help_text="The citizen agrees to the personal-data consent (GET /consent/)."
    )
    repeat_of = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="A repeat appeal («не согласен с ответом»): the number of the citizen's own "
        "appeal whose final answer they dispute, within 30 days of that answer and once per "
        "appeal. The region must be that appeal's; without `deputy` it goes to the deputy "
        "who answered (if they still accept appeals, else by the usual routing). It gets its "
        "own number, 30-day deadline and feedback. An appeal that is not the caller's, has "
        "no final answer or whose 30 days are over gives 400 with an error on this field.",
    )


# --- filters ----------------------------------------------------------------------


class AppealFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Appeal.Status.choices)
    topic = django_filters.CharFilter(field_name="topic__slug")
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

    class Meta:
        model = Appeal
        fields = ["status", "topic", "region", "municipality", "deputy"]

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = queryset.filter(status__in=Appeal.OPEN_STATUSES, deadline__lt=today)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


# --- views ------------------------------------------------------------------------


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
            raise ValidationError({"Idempotency-Key": ["At most 60 characters."]})
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
                "This Idempotency-Key was used for a different appeal.", code="idempotency_reused"
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


class AssignInput(Serializer):
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all())


class RedirectInput(AssignInput):
    reason = serializers.CharField(max_length=1000)


class ExtendInput(Serializer):
    days = serializers.IntegerField(min_value=1, max_value=30)
    reason = serializers.CharField(max_length=1000)


class AnswerInput(Serializer):
    text = serializers.CharField(max_length=20000)
    final = serializers.BooleanField(
        default=True,
        help_text="False for an interim reply. Ignored after the final answer: while the "
        "appeal is answered (not yet closed) every reply is a supplementary answer "
        "(message kind `supplementary`), which changes neither the status nor answered_at.",
    )


class RejectInput(Serializer):
    reason = serializers.ChoiceField(choices=Appeal.RejectionReason.choices)
    details = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class WithdrawInput(Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class FollowUpInput(Serializer):
    text = serializers.CharField(max_length=20000)


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


class TopicFilter(django_filters.FilterSet):
    slug = django_filters.CharFilter()

    class Meta:
        model = Topic
        fields = ["slug"]


class TopicListApi(generics.ListAPIView):
    queryset = Topic.objects.filter(is_active=True).order_by("position")
    serializer_class = TopicSerializer
    filterset_class = TopicFilter
