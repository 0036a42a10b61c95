from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import User
from accounts.regions import region_choices


class EmailUserChangeForm(UserChangeForm):
    default_region = forms.ChoiceField(label="Default phone region", choices=region_choices)

    class Meta:
        model = User
        fields = "__all__"


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users log in by email; there is no username. The passphrase is only ever a hash here."""

    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "is_active", "is_staff", "default_region", "has_passphrase_set", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", "default_region")
    search_fields = ("email",)
    readonly_fields = (
        "passphrase_hash",
        "passphrase_set_at",
        "passphrase_failures",
        "passphrase_failures_since",
        "passphrase_lockouts",
        "last_login",
        "date_joined",
    )
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Passphrase", {"fields": ("passphrase_hash", "passphrase_set_at")}),
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
