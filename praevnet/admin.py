from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from praevnet.models import AuditEntry, NetworkRole, SiteText, User


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


@admin.register(NetworkRole)
class NetworkRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "role", "partner", "function"]
    list_filter = ["role", "network"]
    search_fields = ["user__email", "user__last_name", "partner__name"]
    autocomplete_fields = ["user", "network", "partner"]
    list_select_related = ["user", "network", "partner"]


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
