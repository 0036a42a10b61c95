"""Sign up: a new account with a validated default region; the answer never tells whether the email was taken."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.login_throttle import SIGNUPS_PER_HOUR_PER_ADDRESS
from accounts.models import User
from accounts.views import SIGNUP_DONE_MESSAGE
from ops.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")
PASSWORD = "correct horse battery"  # tests/factories.py


def _signup(client, follow=False, **overrides):
    headers = {key: overrides.pop(key) for key in list(overrides) if key.isupper()}
    data = {
        "email": "Carol@Example.com",
        "password1": "tangerine-orbit-42",
        "password2": "tangerine-orbit-42",
        "default_region": "GB",
    }
    data.update(overrides)
    return client.post(SIGNUP, data, follow=follow, **headers)


def _without_tokens(html):
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)


def test_signup_page_offers_regions_by_country_name(client):
    response = client.get(SIGNUP)

    assert response.status_code == 200
    assert '<option value="GB">United Kingdom (+44)</option>' in response.text
    assert '<option value="US" selected>United States (+1)</option>' in response.text


def test_signup_creates_the_account_and_sends_to_the_login_page(client):
    response = _signup(client, follow=True)

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert SIGNUP_DONE_MESSAGE in response.text.replace("&#x27;", "'")
    user = User.objects.get()
    assert user.email == "carol@example.com"
    assert user.default_region == "GB"
    assert user.check_password("tangerine-orbit-42")
    assert not user.has_passphrase
    assert AuditLog.objects.filter(event_type="user_created", user=user).exists()
    # Logged in, the sign-up would tell a stranger the email was free.
    assert "_auth_user_id" not in client.session


def test_signup_then_log_in_with_the_new_password(client):
    _signup(client)

    response = client.post(reverse("accounts:login"), {"email": "carol@example.com", "password": "tangerine-orbit-42"})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_signup_with_a_taken_email_answers_exactly_as_with_a_new_one(client, user):
    new_email = _signup(Client(), email="dave@example.com", follow=True)
    taken = _signup(client, email="ALICE@example.com", follow=True)

    assert taken.redirect_chain == new_email.redirect_chain == [("/accounts/login/", 302)]
    assert _without_tokens(taken.text) == _without_tokens(new_email.text)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1
    event = AuditLog.objects.get(event_type="signup_email_taken")
    assert (event.user, event.severity) == (user, "warning")


def test_signup_is_limited_per_address_and_the_limit_is_audited(client):
    for n in range(SIGNUPS_PER_HOUR_PER_ADDRESS):
        assert _signup(client, email=f"new{n}@example.com", REMOTE_ADDR="203.0.113.9").status_code == 302

    refused = _signup(client, email="one-more@example.com", REMOTE_ADDR="203.0.113.9")
    elsewhere = _signup(client, email="elsewhere@example.com", REMOTE_ADDR="198.51.100.7")

    assert refused.status_code == 429
    assert "Too many sign-ups from your network." in refused.text
    assert not User.objects.filter(email="one-more@example.com").exists()
    assert elsewhere.status_code == 302
    assert AuditLog.objects.get(event_type="signup_rate_limited").details["ip"] == "203.0.113.9"


def test_signup_rejects_two_different_passwords(client):
    response = _signup(client, password2="tangerine-orbit-43")

    assert "The two passwords are different." in response.text
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short."),
        ("password123", "This password is too common."),
        ("8412739465", "This password is entirely numeric."),
    ],
)
def test_signup_applies_djangos_password_validators(client, password, message):
    response = _signup(client, password1=password, password2=password)

    assert message in response.text
    assert not User.objects.exists()


def test_signup_rejects_an_unknown_region(client):
    response = _signup(client, default_region="ZZ")

    assert "Select a valid choice. ZZ is not one of the available choices." in response.text
    assert not User.objects.exists()


def test_logged_in_user_visiting_signup_goes_home(client, user):
    client.force_login(user)

    response = client.get(SIGNUP)

    assert response.status_code == 302
    assert response.url == "/"


def test_a_simultaneous_signup_with_the_same_email_answers_as_any_other(client, monkeypatch):
    def lose_the_race(**fields):
        UserFactory(email=fields["email"])  # the other sign-up committed between the check and the insert
        raise ValidationError({"email": f"An account with the email {fields['email']} already exists."})

    monkeypatch.setattr("accounts.services.user_create", lose_the_race)

    response = _signup(client)

    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert User.objects.count() == 1
    assert AuditLog.objects.filter(event_type="signup_email_taken").exists()
