"""Account forms: they validate and normalise; the services persist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accounts.models import DEFAULT_REGION, EMAIL_MAX_LENGTH, User
from accounts.regions import region_choices
from accounts.services import normalize_email
from accounts.validators import PASSPHRASE_MAX_LENGTH, PASSPHRASE_MIN_LENGTH, validate_passphrase

# One line instead of Django's bullet list; the validators still name exactly what is wrong.
PASSWORD_HELP = "At least 8 characters. Not a common password, not only digits, not close to your email."  # noqa: S105
REGION_HELP = "Numbers you type without a country code, like 415-555-0198, are read as numbers in this region."


def _region_field() -> forms.ChoiceField:
    return forms.ChoiceField(label="Default phone region", choices=region_choices, help_text=REGION_HELP)


def _password_field(label: str, autocomplete: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}), **kwargs
    )


class SignupForm(forms.Form):
    email = forms.EmailField(
        max_length=EMAIL_MAX_LENGTH, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password1 = _password_field("Password", "new-password", help_text=PASSWORD_HELP)
    password2 = _password_field("Password again", "new-password")
    default_region = _region_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_region"].initial = DEFAULT_REGION

    def clean_email(self) -> str:
        # Whether the email already has an account is never said here (accounts.views.signup).
        return normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, again = cleaned.get("password1"), cleaned.get("password2")
        if password and again and password != again:
            self.add_error("password2", "The two passwords are different. Type the same password twice.")
        elif password:
            try:
                validate_password(password, user=User(email=cleaned.get("email", "")))
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(forms.Form):
    email = forms.EmailField(
        max_length=EMAIL_MAX_LENGTH, widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = _password_field("Password", "current-password")

    error_messages = {
        "invalid_login": "That email and password don't match an account. Check both and try again.",
    }

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            # Inactive accounts fail here too, with the same message: no account enumeration.
            user = authenticate(self.request, email=email, password=password)
            if not isinstance(user, User):
                raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
            self.user = user
        return cleaned


class AdminLoginRefusedForm(AdminAuthenticationForm):
    """Django admin's login form refusing without checking the password (the login throttle said no)."""

    def __init__(self, request: HttpRequest, *args: Any, message: str, **kwargs: Any) -> None:
        self.refusal = message
        super().__init__(request, *args, **kwargs)

    def clean(self) -> dict[str, Any]:
        raise ValidationError(self.refusal, code="rate_limited")


class PassphraseForm(forms.Form):
    """Set or change the passphrase; the current login password proves it is the owner."""

    current_password = _password_field("Your login password", "current-password")
    passphrase = forms.CharField(
        label="New passphrase",
        min_length=PASSPHRASE_MIN_LENGTH,
        max_length=PASSPHRASE_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=(
            f"At least {PASSPHRASE_MIN_LENGTH} characters, a few words are best. Not a common password, "
            "not your login password."
        ),
    )
    passphrase_again = forms.CharField(
        label="New passphrase again",
        max_length=PASSPHRASE_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise ValidationError("That is not your login password.", code="wrong_password")
        return password

    def clean_passphrase(self) -> str:
        passphrase: str = self.cleaned_data["passphrase"]
        # Compared with the login password only once it was typed right: never a way to guess it.
        validate_passphrase(passphrase, password=self.cleaned_data.get("current_password"))
        return passphrase

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        passphrase, again = cleaned.get("passphrase"), cleaned.get("passphrase_again")
        if passphrase and again is not None and passphrase != again:
            self.add_error("passphrase_again", "The two passphrases are different. Type the same one twice.")
        return cleaned


class RegionForm(forms.Form):
    default_region = _region_field()


class StorebotPasswordChangeForm(PasswordChangeForm):
    """Django's password change with labels that say what to type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password1"].help_text = PASSWORD_HELP
