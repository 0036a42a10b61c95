from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.regions import region_choices


class EmailUserChangeForm(UserChangeForm):
    default_region = forms.ChoiceField(label="Default phone region", choices=region_choices)

    class Meta:
        model = User
        # The passphrase's hash and fingerprint are never shown or edited here (UserAdmin.passphrase_status).
        exclude = ("passphrase_hash", "passphrase_fingerprint")


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users log in by email; there is no username.

    Of the passphrase, only whether one is set and when: its hash and fingerprint are
    verifiers an attacker could test guesses against offline, so no page shows them.
    A superuser's account is changed only by a superuser, as in the staff dashboard.
    """

    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "is_active", "is_staff", "default_region", "has_passphrase_set", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", "default_region")
    search_fields = ("email",)
    readonly_fields = (
        "passphrase_status",
        "passphrase_failures",
        "passphrase_failures_since",
        "passphrase_lockouts",
        "last_login",
        "date_joined",
    )
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Passphrase", {"fields": ("passphrase_status",)}),
        (
            "Phone lookups",
            {
                "fields": (
                    "default_region",
                    "lookup_locked_until",
                    "passphrase_failures",
                    "passphrase_failures_since",
                    "passphrase_lockouts",
                )
            },
        ),
        ("Budget", {"fields": ("daily_budget_usd",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)

    @admin.display(boolean=True, description="Passphrase")
    def has_passphrase_set(self, user: User) -> bool:
        return user.has_passphrase

    @admin.display(description="Passphrase")
    def passphrase_status(self, user: User) -> str:
        if not user.has_passphrase:
            return "Not set"
        if user.passphrase_set_at is None:
            return "Set"
        return f"Set on {date_format(timezone.localtime(user.passphrase_set_at), 'DATETIME_FORMAT')}"

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return _superuser_only(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return _superuser_only(request, obj) and super().has_delete_permission(request, obj)


def _superuser_only(request: HttpRequest, obj: User | None) -> bool:
    return obj is None or not obj.is_superuser or bool(getattr(request.user, "is_superuser", False))
