from django.contrib import admin

from agreements.models import Agreement, AgreementTemplate, Reminder, Signature, SigningInvitation, TemplateSignatory


class TemplateSignatoryInline(admin.TabularInline):
    model = TemplateSignatory
    extra = 0

    def _draft(self, obj) -> bool:
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "version_date", "state"]
    list_filter = ["network", "state"]
    inlines = [TemplateSignatoryInline]

    def get_readonly_fields(self, request, obj=None):
        # A published version is frozen; drafts are edited in the application.
        if obj is not None and obj.is_published:
            return [field.name for field in obj._meta.fields]
        return ["state", "published_at"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = ["side", "name", "function", "place", "signed_at", "method", "ip", "text_sha256"]


class InvitationInline(ReadOnlyInline):
    model = SigningInvitation
    fields = ["email", "created_at", "expires_at", "used_at", "revoked_at"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read-only: agreements change only through the workflows (agreements.services)."""

    list_display = ["partner", "network", "template", "status", "effective_from"]
    list_filter = ["network", "status"]
    search_fields = ["partner__name"]
    inlines = [SignatureInline, InvitationInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only log of the reminder e-mails sent by `agreements_remind`."""

    list_display = ["sent_at", "kind", "due", "agreement", "recipients"]
    list_filter = ["network", "kind"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
