"""A NUL character typed as an email is refused clearly, never a server error (PostgreSQL refuses NUL)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import User
from accounts.services import user_create
from ops.models import AuditLog

pytestmark = pytest.mark.django_db

NUL_EMAIL = "alice\x00@example.com"


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_nul_in_the_login_email_is_a_form_error_and_is_audited_visibly(client, user):
    response = client.post("/accounts/login/", {"email": NUL_EMAIL, "password": "wrong"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    event = AuditLog.objects.get(event_type="login_failed")
    assert event.details["email"] == "alice\ufffd@example.com"
    assert event.user is None


def test_a_nul_in_the_admin_login_email_is_a_form_error(client, user):
    response = client.post("/admin/login/", {"username": NUL_EMAIL, "password": "wrong"})

    assert response.status_code == 200
    assert AuditLog.objects.get(event_type="login_failed").details["form"] == "admin"


def test_a_nul_keeps_counting_against_the_login_limit(client, user, limit_of_three):
    for _ in range(3):
        client.post("/accounts/login/", {"email": NUL_EMAIL, "password": "wrong"}, REMOTE_ADDR="203.0.113.9")

    refused = client.post("/accounts/login/", {"email": NUL_EMAIL, "password": "x"}, REMOTE_ADDR="203.0.113.9")

    assert refused.status_code == 429
    assert AuditLog.objects.get(event_type="login_rate_limited").details["email"] == "alice\ufffd@example.com"


def test_a_nul_in_the_signup_email_is_a_form_error(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": NUL_EMAIL,
            "password1": "tangerine-orbit-42",
            "password2": "tangerine-orbit-42",
            "default_region": "US",
        },
    )

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    assert not User.objects.exists()


def test_the_account_service_refuses_a_nul_in_an_email(db):
    with pytest.raises(ValidationError) as refused:
        user_create(email=NUL_EMAIL, password="tangerine-orbit-42")

    assert "NUL character" in refused.value.message_dict["email"][0]
    assert not User.objects.exists()


@pytest.mark.parametrize("next_url", ["/directory/\x00", "settings", "javascript:alert(1)"])
def test_a_next_url_that_is_no_path_on_this_site_sends_a_signed_in_person_home(client, user, next_url):
    client.force_login(user)

    response = client.get("/accounts/login/", {"next": next_url})

    assert response.status_code == 302
    assert response.url == "/"
