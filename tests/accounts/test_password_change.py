"""Change password: needs the current one, applies the validators, keeps the session."""

import pytest
from django.urls import reverse

from ops.models import AuditLog

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
PASSWORD = "correct horse battery"


def test_change_password_sets_the_new_one_and_keeps_the_user_logged_in(client, user):
    client.force_login(user)

    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": "violet-harbour-77", "new_password2": "violet-harbour-77"},
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:settings")
    user.refresh_from_db()
    assert user.check_password("violet-harbour-77")
    assert client.get(reverse("accounts:settings")).status_code == 200
    assert AuditLog.objects.filter(event_type="password_changed", user=user).exists()


def test_wrong_current_password_changes_nothing(client, user):
    client.force_login(user)

    response = client.post(
        CHANGE,
        {"old_password": "not it", "new_password1": "violet-harbour-77", "new_password2": "violet-harbour-77"},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_weak_new_password_is_refused(client, user):
    client.force_login(user)

    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})

    assert "This password is too short." in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_password_needs_login(client):
    response = client.get(CHANGE)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={CHANGE}"


def test_guessing_the_current_password_counts_against_the_login_limit(client, user, limit_of_three):
    client.force_login(user)
    wrong = {"old_password": "guess", "new_password1": "violet-harbour-77", "new_password2": "violet-harbour-77"}
    statuses = [client.post(CHANGE, wrong).status_code for _ in range(3)]

    refused = client.post(CHANGE, {**wrong, "old_password": PASSWORD})

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert "Too many attempts with your login password." in refused.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    failures = AuditLog.objects.filter(event_type="login_failed", details__form="password_change")
    assert failures.count() == 3
