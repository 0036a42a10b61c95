"""Settings: set or change the passphrase, proven by the login password, stored only as a hash."""

import pytest
from django.urls import reverse

from accounts.models import User
from ops.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSPHRASE_URL = reverse("accounts:passphrase")
PASSWORD = "correct horse battery"


@pytest.fixture
def newcomer(client):
    user = UserFactory(email="dana@example.com")
    client.force_login(user)
    return user


def _post(client, *, password=PASSWORD, passphrase="blue pelican", again=None, **headers):
    data = {"current_password": password, "passphrase": passphrase, "passphrase_again": again or passphrase}
    return client.post(PASSPHRASE_URL, data, **headers)


def test_settings_page_explains_what_the_passphrase_is_for(client, newcomer):
    response = client.get(reverse("accounts:settings"))

    assert response.status_code == 200
    assert "Not set" in response.text
    assert "it asks for this passphrase" in response.text


def test_setting_a_passphrase_with_the_right_password_stores_only_its_hash(client, newcomer):
    response = _post(client)

    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.passphrase_hash
    assert "blue pelican" not in newcomer.passphrase_hash
    assert newcomer.passphrase_hash.startswith("md5$")  # Django's hasher format (MD5 in tests)
    assert newcomer.check_passphrase("blue pelican")
    assert not newcomer.check_passphrase("blue pelican!")
    assert newcomer.passphrase_set_at is not None


def test_setting_a_passphrase_is_audited_without_the_passphrase(client, newcomer):
    _post(client)

    event = AuditLog.objects.get(event_type="passphrase_changed")
    assert event.user == newcomer
    assert event.source == "accounts"
    assert event.details == {"first_time": True}
    assert "blue pelican" not in str(event.details)


def test_wrong_login_password_leaves_the_passphrase_unset(client, newcomer):
    response = _post(client, password="not my password")

    assert response.status_code == 200
    assert "That is not your login password." in response.text
    newcomer.refresh_from_db()
    assert not newcomer.has_passphrase
    assert not AuditLog.objects.filter(event_type="passphrase_changed").exists()


def test_changing_the_passphrase_replaces_the_old_one(client, user):
    client.force_login(user)

    _post(client, passphrase="green heron")

    user.refresh_from_db()
    assert user.check_passphrase("green heron")
    assert not user.check_passphrase("open sesame")
    assert AuditLog.objects.get(event_type="passphrase_changed").details == {"first_time": False}


def test_passphrase_shorter_than_eight_characters_is_refused(client, newcomer):
    response = _post(client, passphrase="abc1234")

    assert "at least 8 characters" in response.text
    newcomer.refresh_from_db()
    assert not newcomer.has_passphrase


def test_passphrase_and_its_confirmation_must_match(client, newcomer):
    response = _post(client, passphrase="blue pelican", again="blue pelicans")

    assert "The two passphrases are different." in response.text
    newcomer.refresh_from_db()
    assert not newcomer.has_passphrase


def test_passphrase_cannot_be_the_login_password(client, newcomer):
    response = _post(client, passphrase=PASSWORD)

    assert "different from your login password" in response.text
    newcomer.refresh_from_db()
    assert not newcomer.has_passphrase


def test_surrounding_spaces_are_not_part_of_the_passphrase(client, newcomer):
    _post(client, passphrase="  blue pelican  ")

    newcomer.refresh_from_db()
    assert newcomer.check_passphrase("blue pelican")


def test_htmx_submit_returns_only_the_passphrase_card(client, newcomer):
    response = _post(client, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card" id="passphrase-card"')
    assert "Your passphrase is saved." in response.text
    assert "<html" not in response.text
    assert User.objects.get(pk=newcomer.pk).check_passphrase("blue pelican")


def test_htmx_submit_with_errors_returns_the_card_with_the_errors(client, newcomer):
    response = _post(client, password="wrong", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "That is not your login password." in response.text
    assert "<html" not in response.text


def test_the_clear_passphrase_is_never_rendered_back(client, newcomer):
    response = _post(client, password="wrong", passphrase="blue pelican")

    assert "blue pelican" not in response.text


def test_one_user_setting_a_passphrase_leaves_another_users_alone(client, newcomer, other_user):
    _post(client)

    other_user.refresh_from_db()
    assert other_user.check_passphrase("bob's secret")
    assert not other_user.check_passphrase("blue pelican")
