"""Account pages: sign up, log in and out, change password, Settings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.forms import (
    AdminLoginRefusedForm,
    LoginForm,
    PassphraseForm,
    RegionForm,
    SignupForm,
    StorebotPasswordChangeForm,
)
from accounts.login_throttle import client_ip, login_attempt_allowed, signup_attempt_allowed
from accounts.models import User
from accounts.services import (
    login_failure_record,
    user_change_password,
    user_set_default_region,
    user_set_passphrase,
    user_signup,
)
from ops.nul import has_nul


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


RATE_LIMITED_MESSAGE = "Too many login attempts. Wait a minute, then try again."
SIGNUP_RATE_LIMITED_MESSAGE = "Too many sign-ups from your network. Wait an hour, then try again."
# The same words whether the email was new or already had an account: sign-up never tells which.
SIGNUP_DONE_MESSAGE = (
    "Now log in with that email and the password you chose. If the email already had a Storebot account, "
    "nothing was changed: log in with that account's password."
)
# How the login throttle and the audit log name Django admin's login page and the password change page.
ADMIN_FORM_NAME = "admin"
PASSWORD_CHANGE_FORM_NAME = "password_change"  # noqa: S105 (a form name, not a password)
TOO_MANY_GUESSES_MESSAGE = (
    "Too many attempts with your login password. Nothing was changed. Wait a minute, then try again."
)
# How the login throttle and the audit log name the Settings form that asks for the login password.
SETTINGS_FORM_NAME = "passphrase_settings"


def _current_user(request: HttpRequest) -> User:
    # login_required has run: request.user is a real account.
    assert isinstance(request.user, User)
    return request.user


def _safe_next_url(request: HttpRequest) -> str:
    """Where to go after logging in: a path on this site, else home.

    A path, not a bare word (redirect() would take that for a URL name), and no NUL.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed_hosts = {request.get_host()}
    if (
        candidate.startswith("/")
        and not has_nul(candidate)
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed_hosts, require_https=request.is_secure())
    ):
        return candidate
    return str(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, answering the same way whether the email was free or not (as Django's password reset does).

    A new account is not logged in here: logging it in would tell a stranger the email was free.
    """
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not signup_attempt_allowed(ip=client_ip(request)):
            context = {"form": form, "rate_limited_message": SIGNUP_RATE_LIMITED_MESSAGE}
            return render(request, "accounts/signup.html", context, status=429)
        user_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            default_region=form.cleaned_data["default_region"],
        )
        messages.success(request, SIGNUP_DONE_MESSAGE)
        return redirect("accounts:login")
    return render(request, "accounts/signup.html", {"form": form})


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request, request.POST or None)
    if request.method == "POST":
        ip, email = client_ip(request), request.POST.get("email", "")
        if not login_attempt_allowed(ip=ip, email=email):
            form = LoginForm(request, initial={"email": email})
            context = {"form": form, "next": next_url, "rate_limited_message": RATE_LIMITED_MESSAGE}
            return render(request, "accounts/login.html", context, status=429)
        if form.is_valid() and form.user is not None:
            login(request, form.user)
            return redirect(next_url)
        login_failure_record(email=email, ip=ip)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """Django admin's login page behind the same throttle and audit as ours (mounted over /admin/login/)."""
    if request.method != "POST":
        return admin.site.login(request)
    ip, email = client_ip(request), request.POST.get("username", "")
    if not login_attempt_allowed(ip=ip, email=email, form=ADMIN_FORM_NAME):
        return _admin_login_refused(request)
    response = admin.site.login(request)
    # A right password for staff redirects; anything else shows the form again.
    if response.status_code == 200:
        login_failure_record(email=email, ip=ip, form=ADMIN_FORM_NAME)
    return response


def _admin_login_refused(request: HttpRequest) -> TemplateResponse:
    """The admin's own login page saying why, the password left unchecked."""
    context = {
        **admin.site.each_context(request),
        "title": "Log in",
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": AdminLoginRefusedForm(request, data=request.POST, message=RATE_LIMITED_MESSAGE),
        REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME) or reverse("admin:index"),
    }
    return TemplateResponse(request, "admin/login.html", context, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are logged out.")
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    form = StorebotPasswordChangeForm(user, request.POST or None)
    if request.method == "POST":
        # The form checks the current password: guesses here count against the login limit.
        ip = client_ip(request)
        if not login_attempt_allowed(ip=ip, email=user.email, form=PASSWORD_CHANGE_FORM_NAME):
            context = {"form": StorebotPasswordChangeForm(user), "rate_limited_message": TOO_MANY_GUESSES_MESSAGE}
            return render(request, "accounts/password_change.html", context, status=429)
        if form.is_valid():
            user_change_password(user=user, password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, user)
            messages.success(request, "Your password is changed.")
            return redirect("accounts:settings")
        if form.has_error("old_password", code="password_incorrect"):
            login_failure_record(email=user.email, ip=ip, form=PASSWORD_CHANGE_FORM_NAME)
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    return _render_settings(request, passphrase_form=PassphraseForm(user), region_form=_region_form(user))


@login_required
@require_POST
def passphrase_update(request: HtmxHttpRequest) -> HttpResponse:
    user = _current_user(request)
    # The form checks the login password: guesses here count against the login limit.
    ip = client_ip(request)
    if not login_attempt_allowed(ip=ip, email=user.email, form=SETTINGS_FORM_NAME):
        return _passphrase_refused(request, user)
    form = PassphraseForm(user, request.POST)
    saved = form.is_valid()
    if saved:
        user_set_passphrase(user=user, passphrase=form.cleaned_data["passphrase"])
        form = PassphraseForm(user)
    elif form.has_error("current_password", code="wrong_password"):
        login_failure_record(email=user.email, ip=ip, form=SETTINGS_FORM_NAME)
    if request.htmx:
        return render(request, "accounts/settings.html#passphrase-card", {"passphrase_form": form, "saved": saved})
    if saved:
        messages.success(request, "Your passphrase is saved. Use it in chat to unlock phone lookups.")
        return redirect("accounts:settings")
    return _render_settings(request, passphrase_form=form, region_form=_region_form(user))


def _passphrase_refused(request: HtmxHttpRequest, user: User) -> HttpResponse:
    """The passphrase form, untouched, saying why nothing was checked."""
    context = {"passphrase_form": PassphraseForm(user), "rate_limited_message": TOO_MANY_GUESSES_MESSAGE}
    if request.htmx:
        # 200 so htmx swaps the card in (it leaves the page as it is on an error status).
        return render(request, "accounts/settings.html#passphrase-card", context)
    return render(request, "accounts/settings.html", {**context, "region_form": _region_form(user)}, status=429)


@login_required
@require_POST
def region_update(request: HtmxHttpRequest) -> HttpResponse:
    user = _current_user(request)
    form = RegionForm(request.POST)
    saved = form.is_valid()
    if saved:
        user_set_default_region(user=user, default_region=form.cleaned_data["default_region"])
    if request.htmx:
        return render(request, "accounts/settings.html#region-card", {"region_form": form, "saved": saved})
    if saved:
        messages.success(request, "Your default phone region is saved.")
        return redirect("accounts:settings")
    return _render_settings(request, passphrase_form=PassphraseForm(user), region_form=form)


def _region_form(user: User) -> RegionForm:
    return RegionForm(initial={"default_region": user.default_region})


def _render_settings(request: HttpRequest, *, passphrase_form: PassphraseForm, region_form: RegionForm) -> HttpResponse:
    context = {"passphrase_form": passphrase_form, "region_form": region_form}
    return render(request, "accounts/settings.html", context)
