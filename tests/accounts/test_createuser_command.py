"""manage.py createuser: an account from the command line, with clear errors.

The password is never an argument: a hidden prompt, one line of stdin, or
STOREBOT_PASSWORD for scripts.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "amber-lantern-19"


def _stdin(text: str = PASSWORD) -> io.StringIO:
    return io.StringIO(f"{text}\n")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_createuser_makes_a_user_who_can_log_in(capsys):
    call_command("createuser", email="Erin@Example.com", stdin=_stdin())

    user = User.objects.get()
    assert user.email == "erin@example.com"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert not user.has_passphrase
    assert user.default_region == "US"
    output = capsys.readouterr()
    assert "Created user erin@example.com" in output.out
    assert PASSWORD not in output.out + output.err


def test_createuser_with_passphrase_staff_and_region():
    call_command("createuser", email="ops@example.com", passphrase="quiet fox", staff=True, region="gb", stdin=_stdin())

    user = User.objects.get()
    assert user.is_staff
    assert user.default_region == "GB"
    assert user.check_passphrase("quiet fox")
    assert "quiet fox" not in user.passphrase_hash


def test_createuser_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("STOREBOT_PASSWORD", PASSWORD)

    call_command("createuser", email="erin@example.com", stdin=io.StringIO(""))

    assert User.objects.get().check_password(PASSWORD)


def test_createuser_asks_a_terminal_twice_without_echo(monkeypatch):
    prompts = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return PASSWORD

    monkeypatch.setattr("getpass.getpass", getpass)

    call_command("createuser", email="erin@example.com", stdin=_Terminal())

    assert prompts == ["Password: ", "Password (again): "]
    assert User.objects.get().check_password(PASSWORD)


def test_createuser_refuses_two_different_passwords_at_the_prompt(monkeypatch):
    answers = iter([PASSWORD, "amber-lantern-91"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="The two passwords are different"):
        call_command("createuser", email="erin@example.com", stdin=_Terminal())

    assert not User.objects.exists()


def test_createuser_with_nothing_on_stdin_creates_nothing():
    with pytest.raises(CommandError, match="No password on stdin"):
        call_command("createuser", email="erin@example.com", stdin=io.StringIO(""))

    assert not User.objects.exists()


def test_createuser_refuses_a_password_on_the_command_line():
    with pytest.raises(CommandError, match="--password is no longer accepted"):
        call_command("createuser", "--email", "erin@example.com", "--password", PASSWORD, stdin=_stdin())

    assert not User.objects.exists()


def test_createuser_refuses_an_existing_email(user):
    with pytest.raises(CommandError, match=r"An account with the email alice@example\.com already exists\."):
        call_command("createuser", email="ALICE@example.com", stdin=_stdin())

    assert User.objects.count() == 1


def test_createuser_refuses_an_invalid_region():
    with pytest.raises(CommandError, match="'ZZ' is not a phone region we know"):
        call_command("createuser", email="erin@example.com", region="ZZ", stdin=_stdin())

    assert not User.objects.exists()


def test_createuser_refuses_a_weak_password():
    with pytest.raises(CommandError, match=r"This password is too short\."):
        call_command("createuser", email="erin@example.com", stdin=_stdin("abc"))

    assert not User.objects.exists()


def test_createuser_refuses_a_short_passphrase_and_creates_nothing():
    with pytest.raises(CommandError, match="at least 8 characters"):
        call_command("createuser", email="erin@example.com", passphrase="abc", stdin=_stdin())

    assert not User.objects.exists()
