"""Settings' passphrase form asks for the login password, so its guesses count against the login limit.

A stolen session must not become a way round the login page's rate limit:
attempts in either place share one count per (IP, email) a minute, and the
form refuses with a clear message once it is used up, checking nothing.
"""

import pytest
from django.test import Client
from django.urls import reverse

from ops.models import AuditLog

pytestmark = pytest.mark.django_db

PASSPHRASE_URL = reverse("accounts:passphrase")
LOGIN_URL = reverse("accounts:login")
PASSWORD = "correct horse battery"
REFUSAL = "Too many attempts with your login password. Nothing was changed. Wait a minute, then try again."
IP = "203.0.113.9"


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def _change(client, *, password="wrong guess", passphrase="blue pelican", **headers):
    data = {"current_password": password, "passphrase": passphrase, "passphrase_again": passphrase}
    return client.post(PASSPHRASE_URL, data, REMOTE_ADDR=IP, **headers)


def test_guesses_over_the_limit_are_refused_with_a_clear_message(signed_in, user, limit_of_three):
    statuses = [_change(signed_in).status_code for _ in range(3)]

    refused = _change(signed_in)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert REFUSAL in refused.text
    assert "That is not your login password." not in refused.text


def test_the_right_password_changes_nothing_once_limited(signed_in, user, limit_of_three):
    for _ in range(3):
        _change(signed_in)

    response = _change(signed_in, password=PASSWORD, passphrase="new pelican")

    assert response.status_code == 429
    user.refresh_from_db()
    assert user.check_passphrase("open sesame")
    assert not user.check_passphrase("new pelican")
    assert not AuditLog.objects.filter(event_type="passphrase_changed").exists()


def test_an_htmx_refusal_swaps_in_the_card_with_the_message(signed_in, user, limit_of_three):
    for _ in range(3):
        _change(signed_in)

    response = _change(signed_in, password=PASSWORD, headers={"HX-Request": "true"})

    assert response.status_code == 200  # htmx swaps only successful responses in
    assert 'id="passphrase-card"' in response.text
    assert REFUSAL in response.text
    assert "<html" not in response.text


def test_each_wrong_password_is_audited_as_a_failed_login_from_settings(signed_in, user, limit_of_three):
    _change(signed_in, password="hunter2-attempt")

    event = AuditLog.objects.get(event_type="login_failed")
    assert event.user == user
    assert event.severity == "warning"
    assert event.details == {"email": "alice@example.com", "ip": IP, "form": "passphrase_settings"}
    assert "hunter2-attempt" not in str(event.details)


def test_a_mismatched_new_passphrase_is_not_a_failed_login(signed_in, user, limit_of_three):
    data = {"current_password": PASSWORD, "passphrase": "blue pelican", "passphrase_again": "red pelican"}

    signed_in.post(PASSPHRASE_URL, data, REMOTE_ADDR=IP)

    assert not AuditLog.objects.filter(event_type="login_failed").exists()


def test_hitting_the_limit_is_audited_once_per_window(signed_in, user, limit_of_three):
    for _ in range(6):
        _change(signed_in)

    event = AuditLog.objects.get(event_type="login_rate_limited")
    assert event.severity == "warning"
    assert event.details["form"] == "passphrase_settings"
    assert event.details["email"] == "alice@example.com"
    assert event.details["ip"] == IP
    assert event.details["scope"] == "account"
    assert AuditLog.objects.filter(event_type="login_failed").count() == 3


def test_guesses_in_settings_and_at_the_login_page_share_one_limit(signed_in, user, limit_of_three):
    for _ in range(3):
        _change(signed_in)

    login_page = Client()
    response = login_page.post(LOGIN_URL, {"email": "alice@example.com", "password": PASSWORD}, REMOTE_ADDR=IP)

    assert response.status_code == 429
    assert "_auth_user_id" not in login_page.session


def test_another_account_is_not_limited_by_these_guesses(signed_in, user, other_user, limit_of_three):
    for _ in range(4):
        _change(signed_in)

    bob = Client()
    bob.force_login(other_user)
    data = {"current_password": PASSWORD, "passphrase": "green pelican", "passphrase_again": "green pelican"}
    response = bob.post(PASSPHRASE_URL, data, REMOTE_ADDR=IP)

    assert response.status_code == 302
    other_user.refresh_from_db()
    assert other_user.check_passphrase("green pelican")
