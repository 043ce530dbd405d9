from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .history import event_reason
from .models import (
    Appeal,
    AppealEvent,
    Attachment,
    ContactAccessLog,
    Message,
    Synonym,
    Topic,
    TopicModel,
    WebhookDelivery,
    WebhookSubscription,
)
from .services.topic_model import topic_model_activate


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """The tree in its order: each top topic followed by its subtopics, indented."""

    list_display = ["tree_name", "name_en", "slug", "parent", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter), "is_active"]
    search_fields = ["name", "name_en", "slug"]
    list_select_related = ["parent"]
    ordering = ["position", "name"]

    @admin.display(description=_("name"), ordering="position")
    def tree_name(self, topic):
        return f"\u2003\u2003{topic.name}" if topic.parent_id else topic.name


@admin.register(TopicModel)
class TopicModelAdmin(admin.ModelAdmin):
    """Models are trained by `manage.py topic_model train` and the nightly job; here one
    is looked at, or another made the active one."""

    list_display = ["version", "created_at", "is_active", "trained_on", "top_level_f1"]
    readonly_fields = ["version", "created_at", "trained_on", "evaluation"]
    fields = [*readonly_fields, "is_active"]

    @admin.display(description=_("macro-F1, held-out fifth"))
    def top_level_f1(self, model):
        return (model.evaluation.get("held_out_fifth") or {}).get("top_level", {}).get("macro_f1")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_active:
            topic_model_activate(obj)


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """Pairs of words the search treats as one (both ways); an edit applies to the next
    search, the words read in any form."""

    list_display = ["word", "synonym"]
    list_editable = ["synonym"]
    list_display_links = ["word"]
    search_fields = ["word", "synonym"]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["kind", "author", "created_at", "text"]
    readonly_fields = fields
    can_delete = False


class AppealEventInline(admin.TabularInline):
    model = AppealEvent
    extra = 0
    fields = ["type", "actor", "created_at", "from_status", "to_status", "deputy", "worded"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("appeal", "actor", "deputy")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("reason"))
    def worded(self, event):
        return event_reason(event, event.appeal)


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "status", "region", "deputy", "registered_at", "deadline"]
    list_filter = ["status", "topic", "region"]
    list_select_related = ["region", "deputy"]
    search_fields = ["number", "subject"]
    date_hierarchy = "registered_at"
    show_full_result_count = False  # a count over millions of rows on every page is slow
    raw_id_fields = ["citizen", "deputy", "chosen_deputy", "municipality", "repeat_of"]
    readonly_fields = [
        "number",
        "registered_at",
        "clock_started_at",
        "consent_at",
        "consent_version",
    ]
    inlines = [MessageInline, AppealEventInline]


@admin.register(AppealEvent)
class AppealEventAdmin(admin.ModelAdmin):
    list_display = ["appeal", "type", "actor", "created_at", "to_status"]
    list_filter = ["type"]
    raw_id_fields = ["appeal", "actor", "deputy"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False  # history is append-only


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "appeal", "content_type", "size", "created_at"]
    list_filter = ["content_type"]
    raw_id_fields = ["appeal", "message", "uploaded_by"]


@admin.register(ContactAccessLog)
class ContactAccessLogAdmin(admin.ModelAdmin):
    list_display = ["viewed_at", "user", "appeal", "via"]
    list_filter = ["via"]
    raw_id_fields = ["user", "appeal", "citizen"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False  # an access log is never edited

    def has_add_permission(self, request):
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Operators see and pause subscriptions; their owners create them through the API.
    The secret is never shown."""

    list_display = ["__str__", "owner", "url", "events", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "name", "owner__email"]
    fields = ["owner", "name", "url", "events", "active", "created_at", "updated_at"]
    readonly_fields = ["owner", "url", "events", "created_at", "updated_at"]
    list_select_related = ["owner"]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event_id", "event", "subscription", "status", "attempts", "last_status_code",
        "next_try_at", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "event"]
    search_fields = ["=event_id", "subscription__url"]
    list_select_related = ["subscription"]
    raw_id_fields = ["subscription", "appeal"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
