"""Django admin's login page: the same throttle and audit as the app's login."""

from __future__ import annotations

import pytest

from ops.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
APP_LOGIN = "/accounts/login/"
PASSWORD = "correct horse battery"  # tests/factories.py


@pytest.fixture
def admin_user(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


def _attempt(client, email="root@example.com", password="wrong", ip="203.0.113.9"):
    return client.post(ADMIN_LOGIN, {"username": email, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip)


def test_the_right_password_logs_staff_into_the_admin(client, admin_user):
    response = _attempt(client, password=PASSWORD)

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_a_wrong_password_is_audited_without_the_password(client, admin_user):
    response = _attempt(client, password="hunter2-attempt")

    assert response.status_code == 200
    event = AuditLog.objects.get(event_type="login_failed")
    assert event.user == admin_user
    assert event.details == {"email": "root@example.com", "ip": "203.0.113.9", "form": "admin"}
    assert "hunter2" not in str(event.details)


def test_attempts_over_the_limit_are_refused_without_checking_the_password(client, admin_user, limit_of_three):
    statuses = [_attempt(client).status_code for _ in range(3)]

    refused = _attempt(client, password=PASSWORD)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert "Too many login attempts. Wait a minute, then try again." in refused.text
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(event_type="login_failed").count() == 3
    limited = AuditLog.objects.get(event_type="login_rate_limited")
    assert (limited.details["scope"], limited.details["form"]) == ("account", "admin")


def test_guesses_on_the_app_login_count_against_the_admin_login_too(client, admin_user, limit_of_three):
    for n in range(3):
        client.post(APP_LOGIN, {"email": "root@example.com", "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{n}")

    assert _attempt(client, password=PASSWORD, ip="203.0.113.50").status_code == 429


def test_the_login_page_still_shows_for_a_get(client):
    response = client.get(ADMIN_LOGIN)

    assert response.status_code == 200
    assert 'name="username"' in response.text


def test_the_refusal_page_is_never_cached(client, admin_user, limit_of_three):
    for _ in range(3):
        _attempt(client)

    refused = _attempt(client)

    assert refused.status_code == 429
    assert "no-store" in refused["Cache-Control"]
