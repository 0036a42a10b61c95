"""manage.py createuser: an account from the command line, with clear errors."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_createuser_makes_a_user_who_can_log_in(capsys):
    call_command("createuser", email="Erin@Example.com", password="amber-lantern-19")

    user = User.objects.get()
    assert user.email == "erin@example.com"
    assert user.check_password("amber-lantern-19")
    assert not user.is_staff
    assert not user.has_passphrase
    assert user.default_region == "US"
    assert "Created user erin@example.com" in capsys.readouterr().out


def test_createuser_with_passphrase_staff_and_region():
    call_command(
        "createuser",
        email="ops@example.com",
        password="amber-lantern-19",
        passphrase="quiet fox",
        staff=True,
        region="gb",
    )

    user = User.objects.get()
    assert user.is_staff
    assert user.default_region == "GB"
    assert user.check_passphrase("quiet fox")
    assert "quiet fox" not in user.passphrase_hash


def test_createuser_refuses_an_existing_email(user):
    with pytest.raises(CommandError, match=r"An account with the email alice@example\.com already exists\."):
        call_command("createuser", email="ALICE@example.com", password="amber-lantern-19")

    assert User.objects.count() == 1


def test_createuser_refuses_an_invalid_region():
    with pytest.raises(CommandError, match="'ZZ' is not a phone region we know"):
        call_command("createuser", email="erin@example.com", password="amber-lantern-19", region="ZZ")

    assert not User.objects.exists()


def test_createuser_refuses_a_weak_password():
    with pytest.raises(CommandError, match=r"This password is too short\."):
        call_command("createuser", email="erin@example.com", password="abc")

    assert not User.objects.exists()


def test_createuser_refuses_a_short_passphrase_and_creates_nothing():
    with pytest.raises(CommandError, match="at least 8 characters"):
        call_command("createuser", email="erin@example.com", password="amber-lantern-19", passphrase="abc")

    assert not User.objects.exists()
