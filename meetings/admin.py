from django.contrib import admin

from meetings.models import ActionItem, AgendaItem, Body, BodyMember, Meeting, Participant


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network", "is_active"]
    list_filter = ["network", "kind"]
    search_fields = ["name"]
    inlines = [BodyMemberInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["number", "title", "minutes", "is_partner_presentation"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-mostly: meetings are planned and protocolled in the application (services keep the rules)."""

    list_display = ["__str__", "body", "starts_at", "state", "protocol_state"]
    list_filter = ["body__network", "state", "protocol_state"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
    readonly_fields = ["uid", "sequence", "protocol_pdf", "protocol_pdf_sha256", "approved_at", "approved_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_approved


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["label", "meeting", "reply", "attendance"]
    list_filter = ["reply", "attendance"]
    exclude = ["token_hash"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["text", "meeting", "responsible_partner", "due_date", "done_at"]
    list_filter = ["meeting__body__network"]
