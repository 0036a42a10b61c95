"""The passphrase's keyed fingerprint: written with the hash, found in any text, never the clear text."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import override_settings

from accounts.models import User
from accounts.passphrase_fingerprint import fingerprint_spans, normalise
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _user(passphrase: str, email: str = "dana@example.com") -> User:
    user: User = UserFactory(email=email, passphrase=passphrase)  # type: ignore[assignment]
    return user


def _digest(user: User) -> bytes:
    digest = user.passphrase_digest
    assert digest is not None
    return digest


def test_setting_a_passphrase_writes_its_fingerprint_without_the_clear_text():
    user = _user("Open Sesame")
    assert user.passphrase_fingerprint
    assert "sesame" not in user.passphrase_fingerprint.casefold()
    assert user.passphrase_digest is not None


def test_clearing_the_passphrase_clears_its_fingerprint():
    user = _user("open sesame")
    user.clear_passphrase()
    assert user.passphrase_fingerprint == ""
    assert user.passphrase_digest is None


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("Open Sesame", "open sesame"),
        ("  'open   SESAME!' ", "open sesame"),
        ("open-sesame", "open sesame"),
        ("Bob's_secret", "bob s secret"),
        ("\uff4f\uff50\uff45\uff4e sesame", "open sesame"),  # full-width letters
        ("Straße 42", "strasse 42"),
    ],
)
def test_case_quotes_punctuation_and_spacing_do_not_matter(typed, normalised):
    assert normalise(typed) == normalised


def test_every_occurrence_is_found_where_it_is_typed():
    user = _user("open sesame")
    text = "is it OPEN sesame? or 'open-sesame', not open the sesame"
    assert [text[start:end] for start, end in fingerprint_spans(text, _digest(user))] == [
        "OPEN sesame",
        "open-sesame",
    ]


def test_a_fingerprint_written_for_another_hash_or_key_is_not_trusted():
    user = _user("open sesame")
    fingerprint = user.passphrase_fingerprint
    user.set_passphrase("green heron")
    user.passphrase_fingerprint = fingerprint
    assert user.passphrase_digest is None
    with override_settings(SECRET_KEY="a different key, long enough for this test only"):
        assert _user("open sesame", email="x@example.com").passphrase_digest is not None
        user.set_passphrase("open sesame")
    assert user.passphrase_digest is None


def test_a_right_passphrase_writes_a_missing_fingerprint_and_a_wrong_one_does_not():
    user = _user("open sesame")
    user.passphrase_fingerprint = ""
    user.save()

    assert not user.check_passphrase("open sesam")
    user.refresh_from_db()
    assert user.passphrase_fingerprint == ""

    assert user.check_passphrase("open sesame")
    user.refresh_from_db()
    assert user.passphrase_digest is not None


def test_scanning_a_long_message_checks_no_hash():
    user = _user("open sesame")
    text = ("what is the number for costco and the pizza place near the station " * 40)[:2000]
    with mock.patch("accounts.models.check_password") as check:
        assert fingerprint_spans(text, _digest(user)) == []
    check.assert_not_called()
