from datetime import timedelta

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import RatingFormula, RatingRun, RatingSnapshot, RecomputeRequest


@admin.register(RatingFormula)
class RatingFormulaAdmin(admin.ModelAdmin):
    list_display = [
        "version",
        "window_days",
        "weight_speed",
        "weight_quality",
        "prior_speed",
        "prior_quality",
        "min_sample",
        "effective_from",
        "created_at",
        "preview",
    ]

    @admin.display(description=_("Preview"))
    def preview(self, obj):
        return format_html(
            '<a href="{}?version={}">{}</a>',
            reverse("ratings:formula_preview"),
            obj.version,
            _("its table beside the current one"),
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:  # a new version names the day it starts to count
            form.base_fields["effective_from"].required = True
        return form

    def has_change_permission(self, request, obj=None):
        # Snapshots name the version they used, so a version never changes: add a new one.
        return False

    def get_changeform_initial_data(self, request):
        # A new version starts from the current one, numbered next.
        current = RatingFormula.objects.order_by("-version").first()
        # Tomorrow by default: a day to preview the version before it counts.
        tomorrow = timezone.localdate() + timedelta(days=1)
        if current is None:
            return {"version": 1, "effective_from": tomorrow}
        fields = ["window_days", "weight_speed", "weight_quality", "prior_speed",
                  "prior_quality", "min_sample"]  # fmt: skip
        return {
            "version": current.version + 1,
            "effective_from": tomorrow,
            **{f: getattr(current, f) for f in fields},
        }


@admin.register(RatingRun)
class RatingRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at", "finished_at", "formula", "region", "status", "trigger", "deputies_count",
    ]  # fmt: skip
    list_filter = ["status", "trigger"]
    list_select_related = ["formula", "region"]


@admin.register(RatingSnapshot)
class RatingSnapshotAdmin(admin.ModelAdmin):
    list_display = ["deputy", "region", "score", "rank_region", "enough_data", "computed_at"]
    list_filter = ["enough_data", "region"]
    list_select_related = ["deputy", "region"]
    raw_id_fields = ["run", "deputy", "region", "body"]
    show_full_result_count = False


@admin.register(RecomputeRequest)
class RecomputeRequestAdmin(admin.ModelAdmin):
    """Read-only: operators see what waits for the relay, and which run covered what."""

    list_display = ["region", "requested_at", "due_at", "taken_at", "done_at", "run"]
    list_filter = ["done_at"]
    list_select_related = ["region", "run"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
