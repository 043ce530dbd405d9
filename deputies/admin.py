from django.contrib import admin

from .models import Body, CommitteeMembership, Deputy, District, Municipality, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "oktmo", "region", "is_admin_centre"]
    list_filter = ["is_admin_centre", "kind", "region"]
    list_select_related = ["region", "parent"]
    search_fields = ["name", "name_en", "oktmo"]
    autocomplete_fields = ["region", "parent"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "municipality"]
    list_filter = ["level", "region"]
    list_select_related = ["region", "municipality"]
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["region", "municipality"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "body"]
    list_filter = ["body__level", "body__region"]
    list_select_related = ["body"]
    search_fields = ["name", "body__name"]
    autocomplete_fields = ["body", "municipalities"]


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ["full_name", "region", "body", "faction", "accepts_appeals", "open_appeals"]
    list_filter = ["accepts_appeals", "body__level", "region"]
    list_select_related = ["region", "body"]
    search_fields = ["full_name", "faction", "user__email"]
    autocomplete_fields = ["region", "body", "district", "user"]
    readonly_fields = ["open_appeals", "last_assigned_at"]


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "position"]
    list_filter = ["region"]
    list_select_related = ["user", "region"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "region"]
