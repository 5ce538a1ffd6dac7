from django.contrib import admin

from partners.models import Membership, Municipality, Network, Partner


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["partner", "network"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "kreis", "federal_state"]
    list_filter = ["federal_state", "kind"]
    search_fields = ["name", "kreis"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "federal_state", "jugendamt", "is_active"]
    list_filter = ["federal_state", "is_active"]
    search_fields = ["name", "region", "jugendamt"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities"]
    inlines = [MembershipInline]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "postcode", "city", "archived_at"]
    list_filter = ["kind", "memberships__network"]
    search_fields = ["name", "traeger", "city", "postcode"]
    inlines = [MembershipInline]
