"""Sign up: a new account, logged in, with a validated default region."""

import pytest
from django.urls import reverse

from accounts.models import User
from ops.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")


def _signup(client, **overrides):
    data = {
        "email": "Carol@Example.com",
        "password1": "tangerine-orbit-42",
        "password2": "tangerine-orbit-42",
        "default_region": "GB",
    }
    data.update(overrides)
    return client.post(SIGNUP, data)


def test_signup_page_offers_regions_by_country_name(client):
    response = client.get(SIGNUP)

    assert response.status_code == 200
    assert '<option value="GB">United Kingdom (+44)</option>' in response.text
    assert '<option value="US" selected>United States (+1)</option>' in response.text


def test_signup_creates_the_account_logs_in_and_redirects_home(client):
    response = _signup(client)

    assert response.status_code == 302
    assert response.url == "/"
    user = User.objects.get()
    assert user.email == "carol@example.com"
    assert user.default_region == "GB"
    assert user.check_password("tangerine-orbit-42")
    assert not user.has_passphrase
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditLog.objects.filter(event_type="user_created", user=user).exists()


def test_signup_rejects_an_email_that_exists_in_any_case(client, user):
    response = _signup(client, email="ALICE@example.com")

    assert response.status_code == 200
    assert "An account with this email already exists." in response.text
    assert User.objects.count() == 1


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


def test_a_simultaneous_signup_with_the_same_email_gets_a_form_error_not_a_crash(client, monkeypatch):
    # The other sign-up commits between this form's check and its insert.
    monkeypatch.setattr("accounts.forms.email_is_taken", lambda email: False)
    monkeypatch.setattr("accounts.services.email_is_taken", lambda email: False)
    UserFactory(email="carol@example.com")

    response = _signup(client)

    assert response.status_code == 200
    assert "An account with the email carol@example.com already exists." in response.text
    assert User.objects.count() == 1
