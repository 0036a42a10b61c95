"""A passphrase is checked like a password when it is set: long enough, not common, not the login password."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.services import user_create, user_set_passphrase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def newcomer(client):
    user = UserFactory(email="dana@example.com")
    client.force_login(user)
    return user


def _post(client, passphrase: str):
    data = {"current_password": PASSWORD, "passphrase": passphrase, "passphrase_again": passphrase}
    return client.post(reverse("accounts:passphrase"), data)


@pytest.mark.parametrize(
    ("passphrase", "says"),
    [
        ("123456", "at least 8 characters"),
        ("12345678901", "only digits or symbols is easy to guess"),
        ("!!!!!!!!!!", "only digits or symbols is easy to guess"),
        ("password1", "on a list of common passwords"),
        ("Pass Word 1", "on a list of common passwords"),
        ("iloveyou", "on a list of common passwords"),
        ("open-sesame", "on a list of common passwords"),
        (PASSWORD, "different from your login password"),
    ],
)
def test_a_weak_passphrase_is_refused_on_the_settings_form_with_the_reason(client, newcomer, passphrase, says):
    response = _post(client, passphrase)

    assert response.status_code == 200
    assert says in response.text
    newcomer.refresh_from_db()
    assert not newcomer.has_passphrase


def test_a_few_unrelated_words_are_accepted(client, newcomer):
    response = _post(client, "amber lantern kite")

    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_passphrase("amber lantern kite")


def test_the_settings_form_says_what_a_good_passphrase_is(client, newcomer):
    response = client.get(reverse("accounts:settings"))
    assert "Not a common password, not your login password." in response.text


def test_the_service_refuses_the_login_password(newcomer):
    with pytest.raises(ValidationError, match="different from your login password"):
        user_set_passphrase(user=newcomer, passphrase=PASSWORD)


def test_createuser_refuses_a_passphrase_equal_to_the_password():
    with pytest.raises(ValidationError) as caught:
        user_create(email="erin@example.com", password="amber-lantern-19", passphrase="amber-lantern-19")
    assert "different from your login password" in str(caught.value.message_dict["passphrase"])


def test_the_set_passphrase_command_refuses_a_common_one(user):
    with pytest.raises(CommandError, match="common passwords"):
        call_command("set_passphrase", user=user.email, stdin=io.StringIO("qwerty123\n"))
    user.refresh_from_db()
    assert user.check_passphrase("open sesame")


def test_with_a_wrong_login_password_the_form_does_not_say_whether_the_passphrase_is_the_password(client, newcomer):
    data = {"current_password": "a wrong guess", "passphrase": PASSWORD, "passphrase_again": PASSWORD}
    response = client.post(reverse("accounts:passphrase"), data)

    assert "That is not your login password." in response.text
    assert "different from your login password" not in response.text
