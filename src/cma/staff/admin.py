from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, Team, User


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    # UserAdmin always sets fieldsets; the stub types the attribute as optional.
    fieldsets = (*UserAdmin.fieldsets, ("Role", {"fields": ("role", "team")}))  # type: ignore[misc]
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "business_area", "leader"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at"]
