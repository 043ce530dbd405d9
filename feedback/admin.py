from django.contrib import admin

from .models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["appeal", "deputy", "overall", "solved", "speed", "personal", "counts"]
    list_filter = ["solved", "overall", "counts"]
    list_select_related = ["appeal", "deputy"]
    raw_id_fields = ["appeal", "citizen", "deputy"]
    show_full_result_count = False
