"""Login attempts are limited per account (whatever the address) and per address; hitting a limit is audited once."""

import pytest
from django.urls import reverse

from accounts.login_throttle import PER_IP_MULTIPLIER
from ops.models import AuditLog

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PASSWORD = "correct horse battery"


def _attempt(client, email="alice@example.com", password="wrong", ip="203.0.113.9"):
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=ip)


def test_attempts_over_the_limit_are_refused_with_a_clear_message(client, user, limit_of_three):
    statuses = [_attempt(client).status_code for _ in range(3)]

    refused = _attempt(client)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert "Too many login attempts. Wait a minute, then try again." in refused.text


def test_the_right_password_is_refused_too_once_limited(client, user, limit_of_three):
    for _ in range(3):
        _attempt(client)

    response = _attempt(client, password=PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_hitting_the_limit_is_audited_once_per_window(client, user, limit_of_three):
    for _ in range(6):
        _attempt(client)

    events = AuditLog.objects.filter(event_type="login_rate_limited")
    assert events.count() == 1
    event = events.get()
    assert event.severity == "warning"
    assert event.details["ip"] == "203.0.113.9"
    assert event.details["email"] == "alice@example.com"
    assert event.details["scope"] == "account"
    assert "wrong" not in str(event.details)


def test_refused_attempts_are_not_counted_as_failed_logins(client, user, limit_of_three):
    for _ in range(5):
        _attempt(client)

    assert AuditLog.objects.filter(event_type="login_failed").count() == 3


def test_another_address_is_not_limited_by_someone_elses_attempts_at_another_account(client, user, limit_of_three):
    for _ in range(4):
        _attempt(client, email="mallory@example.com", ip="203.0.113.9")

    response = _attempt(client, password=PASSWORD, ip="198.51.100.7")

    assert response.status_code == 302


def test_changing_address_gives_no_more_guesses_at_one_account(client, user, limit_of_three):
    statuses = [_attempt(client, ip=f"203.0.113.{n}").status_code for n in range(1, 4)]

    refused = _attempt(client, password=PASSWORD, ip="198.51.100.7")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    event = AuditLog.objects.get(event_type="login_rate_limited")
    assert (event.details["scope"], event.details["ip"]) == ("account", "198.51.100.7")


def test_the_account_limit_is_kept_whatever_case_or_spaces_the_email_is_typed_in(client, user, limit_of_three):
    for email in ["alice@example.com", "ALICE@example.com", " Alice@Example.COM "]:
        _attempt(client, email=email, ip="203.0.113.1")

    assert _attempt(client, email="alice@EXAMPLE.com", ip="203.0.113.2").status_code == 429


def test_one_address_trying_many_emails_hits_the_per_ip_limit(client, user, limit_of_three):
    per_ip = 3 * PER_IP_MULTIPLIER
    for n in range(per_ip):
        assert _attempt(client, email=f"guess{n}@example.com").status_code == 200

    response = _attempt(client, email="alice@example.com", password=PASSWORD)

    assert response.status_code == 429
    assert AuditLog.objects.get(event_type="login_rate_limited").details["scope"] == "ip"


def test_a_new_x_forwarded_for_per_request_gives_no_more_guesses(client, user, limit_of_three, settings):
    # Behind one proxy that appends the address it saw; daphne --proxy-headers copies the leftmost entry
    # (the client's own) into REMOTE_ADDR.
    settings.TRUSTED_PROXY_COUNT = 1
    per_ip = 3 * PER_IP_MULTIPLIER
    for n in range(per_ip):
        spoofed = f"10.9.{n}.1"
        response = client.post(
            LOGIN,
            {"email": f"guess{n}@example.com", "password": "wrong"},
            REMOTE_ADDR=spoofed,
            HTTP_X_FORWARDED_FOR=f"{spoofed}, 203.0.113.9",
        )
        assert response.status_code == 200

    refused = client.post(
        LOGIN,
        {"email": "carol@example.com", "password": "wrong"},
        REMOTE_ADDR="10.9.99.1",
        HTTP_X_FORWARDED_FOR="10.9.99.1, 203.0.113.9",
    )

    assert refused.status_code == 429
    event = AuditLog.objects.get(event_type="login_rate_limited")
    assert (event.details["scope"], event.details["ip"]) == ("ip", "203.0.113.9")
