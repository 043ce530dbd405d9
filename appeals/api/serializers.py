"""What the appeals API reads and writes: output serializers and each action's input."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.api import fields
from core.api.serializers import ModelSerializer, ReferenceSlugField, Serializer
from deputies.access import can_read_appeal_text, can_read_event_reason, may_see_similar
from deputies.models import Body, Deputy, Municipality, Region
from deputies.selectors import municipalities_of

from .. import selectors, similar
from ..attachments import SIGNATURES
from ..history import event_reason
from ..models import Appeal, AppealEvent, Attachment, Message, Topic
from .examples import APPEAL, APPEAL_DETAIL, DEPUTY, EVENTS, MESSAGE, request, response


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConsentField(fields.BooleanField):
    """Consent is given or the appeal is not filed: false is refused."""


ATTACHMENT_TYPES = [content_type for _signature, content_type in SIGNATURES]

# --- output -----------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        response(
            "roads",
            {"slug": "roads", "name": "Дороги и транспорт", "name_en": "Roads and transport",
             "parent": None},
        ),
        response(
            "subtopic",
            {"slug": "roads-repair", "name": "Ямы и ремонт дорог",
             "name_en": "Potholes and road repair", "parent": "roads"},
        ),
    ]
)  # fmt: skip
class TopicSerializer(ModelSerializer):
    """A topic of the two-level tree an appeal is filed under: a top topic (`parent`
    null) or a subtopic (`parent`: its top topic's slug). `slug` is what the filing's
    `topic` takes, either level."""

    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Topic
        fields = ["slug", "name", "name_en", "parent"]


@extend_schema_serializer(examples=[response("deputy", DEPUTY)])
class DeputyRefSerializer(ModelSerializer):
    """The deputy an appeal is with: `id` as in `/deputies/{id}/`."""

    class Meta:
        model = Deputy
        fields = ["id", "full_name"]


class AttachmentSerializer(ModelSerializer):
    """A file attached to a message (PDF, JPEG or PNG): its name, type and size in bytes.
    The file itself is downloaded from the web page of the appeal."""

    content_type = serializers.ChoiceField(choices=ATTACHMENT_TYPES, read_only=True)

    class Meta:
        model = Attachment
        fields = ["token", "original_name", "content_type", "size"]


@extend_schema_serializer(examples=[response("answer", MESSAGE)])
class MessageSerializer(ModelSerializer):
    """One message of an appeal's thread, oldest first."""

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


class CitizenSerializer(Serializer):
    """The citizen's contacts, shown to the deputy and committee who handle the appeal
    (each such read is logged); null for everyone else."""

    full_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()


@extend_schema_serializer(examples=[response("routed", EVENTS[1])])
class EventSerializer(ModelSerializer):
    """One step of an appeal's history, oldest first: what happened, the status before
    and after (empty where the status did not change), the deputy it went to."""

    from_status = serializers.ChoiceField(
        choices=Appeal.Status.choices, allow_blank=True, read_only=True
    )
    to_status = serializers.ChoiceField(
        choices=Appeal.Status.choices, allow_blank=True, read_only=True
    )
    reason = serializers.SerializerMethodField()

    class Meta:
        model = AppealEvent
        fields = ["type", "created_at", "from_status", "to_status", "deputy", "reason"]

    def get_reason(self, event) -> str:
        """Empty where the reason is the citizen's own words and the caller may not read
        the appeal's text (the event itself still shows)."""
        if can_read_event_reason(self.context["scope"], event.appeal, event.type):
            return event_reason(event, event.appeal)
        return ""


class PlaceSerializer(ModelSerializer):
    """Where the appeal comes from: the municipality's name, kind and OKTMO code;
    `parent` is the id of the place it is part of (a city's district, a district's unit)."""

    class Meta:
        model = Municipality
        fields = ["id", "name", "name_en", "kind", "oktmo", "parent"]


@extend_schema_serializer(examples=[response("answered", APPEAL)])
class AppealSerializer(ModelSerializer):
    """An appeal in a list: its number, status, where it is and with whom, its dates.
    The text, thread and history are in `GET /appeals/{number}/`."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topic_parent = serializers.SerializerMethodField(
        help_text="The top topic of `topic` when `topic` is a subtopic; null for a top topic."
    )
    deputy = DeputyRefSerializer(read_only=True, allow_null=True)
    place = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_topic_parent(self, appeal):
        # From the per-process reference table: no query per row.
        topic = selectors.topics_by_id().get(appeal.topic_id)
        parent = topic.parent if topic is not None and topic.parent_id else None
        return parent.slug if parent is not None else None

    class Meta:
        model = Appeal
        fields = [
            "number", "status", "region", "municipality", "place", "topic", "topic_parent",
            "subject", "deputy",
            "registered_at", "deadline", "extended_days", "answered_at", "closed_at",
        ]  # fmt: skip

    @extend_schema_field(PlaceSerializer(allow_null=True))
    def get_place(self, appeal) -> dict | None:
        # From the per-process reference tables: no query, whatever the page's length.
        if not appeal.municipality_id:
            return None
        place = municipalities_of(region_id=appeal.region_id).get(appeal.municipality_id)
        return PlaceSerializer(place).data if place is not None else None


@extend_schema_serializer(examples=[response("answered", APPEAL_DETAIL)])
class AppealDetailSerializer(AppealSerializer):
    """An appeal with its letter, thread and history, as the caller may see it: `text`,
    `address` and `messages` are null or empty for a reader who may not see the letter
    (a committee reading another deputy's appeal), `citizen` null but for its handlers."""

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
    similar_count = serializers.SerializerMethodField(
        help_text="Appeals of other citizens about the same house or with a near-identical "
        "text, among those the caller sees (the appeal page lists them); null for a citizen."
    )
    collective = serializers.SerializerMethodField(
        help_text="The collective appeal it is part of (answered together with its other "
        "members), or null."
    )

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "text", "address", "citizen", "extension_reason", "rejection_reason",
            "rejection_details", "messages", "events", "repeat_of", "first_appeal",
            "similar_count", "collective",
        ]  # fmt: skip

    def _scope(self):
        return self.context["scope"]

    def get_text(self, appeal) -> str | None:
        return appeal.text if can_read_appeal_text(self._scope(), appeal) else None

    def get_address(self, appeal) -> str | None:
        return appeal.address if can_read_appeal_text(self._scope(), appeal) else None

    @extend_schema_field(CitizenSerializer(allow_null=True))
    def get_citizen(self, appeal) -> dict | None:
        return selectors.contacts_for(scope=self._scope(), appeal=appeal, via="api")

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, appeal) -> list[dict]:
        if not can_read_appeal_text(self._scope(), appeal):
            return []
        messages = appeal.messages.all()
        # A new appeal has none: no serializer built for nothing (each filing's answer).
        return MessageSerializer(messages, many=True).data if messages else []

    def get_similar_count(self, appeal) -> int | None:
        if not may_see_similar(self._scope()):
            return None  # a citizen's filing answer costs no lookup
        return len(similar.appeal_similar(scope=self._scope(), appeal=appeal))

    def get_collective(self, appeal) -> int | None:
        return appeal.collective_id

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


@extend_schema_serializer(
    component_name="AppealCreate",
    examples=[
        request(
            "filing",
            {"region": "17", "topic": "roads", "subject": "Яма на проезжей части",
             "text": "Третий месяц на улице Лесной яма на проезжей части у дома 41.",
             "address": "ул. Лесная, д. 41", "consent": True},
            "To the region's deputies: the platform chooses one",
        ),
        request(
            "to_a_deputy",
            {"region": "17", "municipality": 17, "deputy": 3, "topic": "roads",
             "subject": "Яма на проезжей части", "text": "Прошу отремонтировать дорогу.",
             "consent": True},
            "To a chosen deputy",
        ),
    ],
)  # fmt: skip
class AppealCreateSerializer(Serializer):
    """A new appeal. Without `deputy` the platform routes it to a deputy of the region
    (of `level`, in `municipality` if given); a deputy who does not accept appeals, or of
    another region, is a 400 on `deputy`."""

    region = ReferenceSlugField(table="regions", slug_field="code", queryset=Region.objects.all())
    municipality = fields.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    deputy = fields.PrimaryKeyRelatedField(
        queryset=Deputy.objects.all(), required=False, allow_null=True
    )
    level = serializers.ChoiceField(choices=Body.Level.choices, required=False, allow_blank=True)
    topic = ReferenceSlugField(
        table="active topics", slug_field="slug", queryset=Topic.objects.filter(is_active=True)
    )
    subject = fields.CharField(max_length=200)
    text = fields.CharField(max_length=20000)
    address = fields.CharField(max_length=300, required=False, allow_blank=True)
    consent = ConsentField(
        help_text="The citizen agrees to the personal-data consent (GET /consent/). Must be true."
    )
    repeat_of = fields.CharField(
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


# --- the actions' input ---------------------------------------------------------


DEPUTY_ID = "A deputy of the appeal's region who accepts appeals (`/deputies/?region=`)."


@extend_schema_serializer(component_name="Assign", examples=[request("assign", {"deputy": 3})])
class AssignInput(Serializer):
    """The deputy to assign the appeal to."""

    deputy = fields.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), help_text=DEPUTY_ID)


@extend_schema_serializer(
    component_name="Redirect",
    examples=[request("redirect", {"deputy": 5, "reason": "Вопрос относится к его округу."})],
)
class RedirectInput(Serializer):
    """The deputy to pass the appeal to, and why (shown to the citizen)."""

    deputy = fields.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), help_text=DEPUTY_ID)
    reason = fields.CharField(max_length=1000)


@extend_schema_serializer(
    component_name="Extend",
    examples=[request("extend", {"days": 30, "reason": "Запрошены сведения у администрации."})],
)
class ExtendInput(Serializer):
    """Days to add to the deadline (once per appeal), and why (shown to the citizen)."""

    days = fields.IntegerField(min_value=1, max_value=30)
    reason = fields.CharField(max_length=1000)


@extend_schema_serializer(
    component_name="Answer",
    examples=[
        request(
            "interim",
            {"text": "Запрос направлен в администрацию, ответ жду до 20 мая.", "final": False},
            "An interim reply: the appeal stays in progress",
        ),
        request(
            "final",
            {"text": "Ремонт участка включён в план на май.", "final": True},
            "The final answer: the appeal is answered",
        ),
    ],
)
class AnswerInput(Serializer):
    """The deputy's reply. `final` is required: a final answer cannot be taken back."""

    text = fields.CharField(max_length=20000)
    final = fields.BooleanField(
        help_text="true: the final answer (the appeal becomes answered); false: an interim "
        "reply (it stays in progress). After the final answer, while the appeal is "
        "answered and not yet closed, every reply is a supplementary answer (message kind "
        "`supplementary`), which changes neither the status nor answered_at.",
    )


@extend_schema_serializer(
    component_name="Reject",
    examples=[request("reject", {"reason": "obscene", "details": ""})],
)
class RejectInput(Serializer):
    """The ground of the law the appeal is rejected on, and optional details."""

    reason = serializers.ChoiceField(choices=Appeal.RejectionReason.choices)
    details = fields.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_serializer(
    component_name="Withdraw",
    examples=[request("withdraw", {"reason": "Вопрос решён, спасибо."})],
)
class WithdrawInput(Serializer):
    """Why the citizen withdraws the appeal, if they wish to say."""

    reason = fields.CharField(max_length=1000, required=False, allow_blank=True, default="")


@extend_schema_serializer(
    component_name="FollowUp",
    examples=[request("follow_up", {"text": "Прилагаю номер дома: 41, корпус 2."})],
)
class FollowUpInput(Serializer):
    """The citizen's message in the appeal's thread."""

    text = fields.CharField(max_length=20000)


@extend_schema_serializer(
    component_name="CollectiveJoin",
    examples=[request("join", {"appeals": ["77-2026-000124", "77-2026-000131"]})],
)
class CollectiveJoinInput(Serializer):
    """The appeals to join with this one into its collective appeal (made if it has none)."""

    appeals = serializers.ListField(
        child=fields.CharField(max_length=20),
        min_length=1,
        max_length=100,
        help_text="Numbers of appeals the caller sees, with the same deputy, open.",
    )


class SkippedSerializer(Serializer):
    """An appeal that did not join, and why."""

    number = serializers.CharField(help_text="Empty for members now with other deputies.")
    reason = serializers.CharField()


@extend_schema_serializer(
    component_name="CollectiveJoined",
    examples=[
        response(
            "joined",
            {
                "collective": 12,
                "joined": ["77-2026-000123", "77-2026-000124"],
                "skipped": [{"number": "77-2026-000131", "reason": "it is with another deputy"}],
            },
        )
    ],
)
class CollectiveJoinOutput(Serializer):
    """What joining did: the collective appeal, the appeals now in it by this request,
    and those skipped with the reason (not found, closed, with another deputy, in another
    collective appeal)."""

    collective = serializers.IntegerField()
    joined = serializers.ListField(child=serializers.CharField())
    skipped = SkippedSerializer(many=True)
