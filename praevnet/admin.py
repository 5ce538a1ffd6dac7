from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from praevnet.audit import log_action
from praevnet.models import AuditEntry, NetworkRole, SiteText, User


def audit_role(request, role: NetworkRole, action: str) -> None:
    """Role changes made in the admin land in the network's audit trail like every other change."""
    log_action(
        actor=request.user,
        action=action,
        network=role.network,
        obj=role,
        data={"person": role.user.email, "rolle": role.get_role_display(), "einrichtung": str(role.partner or "")},
    )


class NetworkRoleInline(admin.TabularInline):
    model = NetworkRole
    extra = 0
    autocomplete_fields = ["network", "partner"]
    fields = ["network", "role", "partner", "function"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "network_roles__role", "network_roles__network"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [NetworkRoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("title", "first_name", "last_name", "phone")}),
        (
            "Berechtigungen",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Zeiten", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_formset(self, request, form, formset, change):
        if formset.model is not NetworkRole:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for role in formset.deleted_objects:
            audit_role(request, role, "role.remove")
            role.delete()
        for role in instances:
            action = "role.change" if role.pk else "role.assign"
            role.save()
            audit_role(request, role, action)
        formset.save_m2m()


@admin.register(NetworkRole)
class NetworkRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "role", "partner", "function"]
    list_filter = ["role", "network"]
    search_fields = ["user__email", "user__last_name", "partner__name"]
    autocomplete_fields = ["user", "network", "partner"]
    list_select_related = ["user", "network", "partner"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_role(request, obj, "role.change" if change else "role.assign")

    def delete_model(self, request, obj):
        audit_role(request, obj, "role.remove")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for role in queryset:
            audit_role(request, role, "role.remove")
        super().delete_queryset(request, queryset)


@admin.register(SiteText)
class SiteTextAdmin(admin.ModelAdmin):
    list_display = ["key", "updated"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created", "actor_label", "network", "action", "object_label"]
    list_filter = ["action", "network"]
    search_fields = ["actor_label", "object_label", "action"]
    list_select_related = ["network"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
