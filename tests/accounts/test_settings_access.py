"""Every settings page and action needs a logged-in user and touches only that user."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("accounts:settings", "get"),
        ("accounts:passphrase", "post"),
        ("accounts:region", "post"),
        ("accounts:password_change", "get"),
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, name, method):
    url = reverse(name)

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_settings_page_shows_only_the_logged_in_users_account(client, user, other_user):
    client.force_login(user)

    response = client.get(reverse("accounts:settings"))

    assert "alice@example.com" in response.text
    assert "bob@example.com" not in response.text


def test_settings_actions_refuse_get(client, user):
    client.force_login(user)

    assert client.get(reverse("accounts:passphrase")).status_code == 405
    assert client.get(reverse("accounts:region")).status_code == 405
