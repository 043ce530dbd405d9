"""What the appeals API reads and writes: output serializers and each action's input."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ModelSerializer, ReferenceSlugField, Serializer
from deputies.access import can_read_appeal_text, can_read_event_reason
from deputies.models import Body, Deputy, Municipality, Region

from .. import selectors
from ..history import event_reason
from ..models import Appeal, AppealEvent, Attachment, Message, Topic

# --- output -----------------------------------------------------------------------


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
            return event_reason(event, event.appeal)
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


# --- the actions' input ---------------------------------------------------------


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
