"""Log in with email and password; failures are clear and audited."""

import pytest
from django.urls import reverse

from ops.models import AuditLog

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PASSWORD = "correct horse battery"  # tests/factories.py


def test_login_page_renders_the_form(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert 'name="email"' in response.text
    assert 'type="password"' in response.text


def test_right_password_logs_in_and_redirects_home(client, user):
    response = client.post(LOGIN, {"email": "alice@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_email_is_matched_without_regard_to_case_or_spaces(client, user):
    response = client.post(LOGIN, {"email": "  Alice@EXAMPLE.com ", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_shows_a_clear_error_and_does_not_log_in(client, user):
    response = client.post(LOGIN, {"email": "alice@example.com", "password": "wrong"})

    assert response.status_code == 200
    assert "That email and password don&#x27;t match an account." in response.text
    assert "_auth_user_id" not in client.session


def test_failed_login_is_audited_without_the_password(client, user):
    client.post(LOGIN, {"email": "alice@example.com", "password": "hunter2-attempt"})

    event = AuditLog.objects.get(event_type="login_failed")
    assert event.user == user
    assert event.severity == "warning"
    assert event.details == {"email": "alice@example.com", "ip": "127.0.0.1", "form": "login"}
    assert "hunter2-attempt" not in str(event.details)


def test_unknown_email_fails_the_same_way(client, user):
    response = client.post(LOGIN, {"email": "nobody@example.com", "password": PASSWORD})

    assert "That email and password don&#x27;t match an account." in response.text
    assert AuditLog.objects.get(event_type="login_failed").user is None


def test_inactive_account_cannot_log_in(client, user):
    user.is_active = False
    user.save()

    response = client.post(LOGIN, {"email": "alice@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_follows_a_local_next_url(client, user):
    response = client.post(LOGIN + "?next=/directory/", {"email": "alice@example.com", "password": PASSWORD})

    assert response.url == "/directory/"


def test_login_ignores_a_next_url_on_another_site(client, user):
    response = client.post(LOGIN, {"email": "alice@example.com", "password": PASSWORD, "next": "https://evil.test/"})

    assert response.url == "/"
