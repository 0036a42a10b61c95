"""manage.py set_passphrase: reads one line from stdin and never echoes it."""

import io

import pytest
from django.core.management import CommandError, call_command

from ops.models import AuditLog

pytestmark = pytest.mark.django_db


def test_set_passphrase_reads_one_line_from_stdin(user, capsys):
    call_command("set_passphrase", user="alice@example.com", stdin=io.StringIO("river stones\nignored line\n"))

    user.refresh_from_db()
    assert user.check_passphrase("river stones")
    output = capsys.readouterr()
    assert "Passphrase set for alice@example.com." in output.out
    assert "river stones" not in output.out + output.err
    assert AuditLog.objects.get(event_type="passphrase_changed").user == user


def test_set_passphrase_finds_the_user_whatever_the_case(user):
    call_command("set_passphrase", user="Alice@Example.COM", stdin=io.StringIO("river stones\n"))

    user.refresh_from_db()
    assert user.check_passphrase("river stones")


def test_set_passphrase_for_an_unknown_user_fails_clearly():
    with pytest.raises(CommandError, match=r"No account with the email ghost@example\.com\."):
        call_command("set_passphrase", user="ghost@example.com", stdin=io.StringIO("river stones\n"))


def test_empty_stdin_changes_nothing(user):
    with pytest.raises(CommandError, match="No passphrase on stdin"):
        call_command("set_passphrase", user="alice@example.com", stdin=io.StringIO(""))

    user.refresh_from_db()
    assert user.check_passphrase("open sesame")


def test_too_short_passphrase_changes_nothing(user):
    with pytest.raises(CommandError, match="at least 8 characters"):
        call_command("set_passphrase", user="alice@example.com", stdin=io.StringIO("abc\n"))

    user.refresh_from_db()
    assert user.check_passphrase("open sesame")
