from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, Team, User
from .services import end_sessions, password_changed, set_active


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    # UserAdmin always sets fieldsets; the stub types the attribute as optional.
    fieldsets = (*UserAdmin.fieldsets, ("Role", {"fields": ("role", "team")}))  # type: ignore[misc]
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    actions = ["end_user_sessions"]

    def save_model(self, request, obj, form, change):
        """SES-2: unticking "active" ends every session and token of the user."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            set_active(user=obj, active=obj.is_active, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        """SES-2: a password set here revokes the user's API tokens and ends their
        other sessions (the administrator's own session stays when it is their own)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            own = user.pk == request.user.pk
            password_changed(
                user=user,
                actor=request.user,
                keep_session=request.session.session_key if own else None,
            )
        return response

    @admin.action(description="End the selected users' sessions")
    def end_user_sessions(self, request, queryset):
        ended = sum(end_sessions(user=user, actor=request.user) for user in queryset)
        self.message_user(request, f"Ended {ended} session(s).", messages.SUCCESS)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "business_area", "leader"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at"]
