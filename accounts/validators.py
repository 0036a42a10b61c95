"""Rules for account values, shared by the web forms, the services and the commands."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from accounts.passphrase_fingerprint import normalise
from accounts.regions import is_supported_region

if TYPE_CHECKING:
    from accounts.models import User

PASSPHRASE_MIN_LENGTH = 8
PASSPHRASE_MAX_LENGTH = 128


def validate_passphrase(raw: str, *, user: User | None = None, password: str | None = None) -> None:
    """A passphrase is checked like a password: long enough, not only digits, not a common password (as typed
    or with its spaces and punctuation removed), and not the login password (`password` as typed, or `user`'s)."""
    if len(raw) < PASSPHRASE_MIN_LENGTH:
        raise ValidationError(
            f"Use at least {PASSPHRASE_MIN_LENGTH} characters for the passphrase: a few words are easiest.",
            code="passphrase_too_short",
        )
    if len(raw) > PASSPHRASE_MAX_LENGTH:
        raise ValidationError(
            f"Keep the passphrase under {PASSPHRASE_MAX_LENGTH} characters.", code="passphrase_too_long"
        )
    letters_and_digits = normalise(raw).replace(" ", "")
    if not letters_and_digits or letters_and_digits.isdigit():
        raise ValidationError(
            "A passphrase of only digits or symbols is easy to guess. Use a few words.", code="passphrase_guessable"
        )
    if any(_is_common(candidate) for candidate in (raw, letters_and_digits)):
        raise ValidationError(
            "That passphrase is on a list of common passwords that attackers try first. Choose something less "
            "common, such as a few unrelated words.",
            code="passphrase_common",
        )
    if (password is not None and raw == password) or (user is not None and user.check_password(raw)):
        raise ValidationError(
            "Choose a passphrase different from your login password: it is a second lock.", code="same_as_password"
        )


@functools.cache
def _common_passwords() -> CommonPasswordValidator:
    return CommonPasswordValidator()  # reads Django's list of 20,000 once


def _is_common(candidate: str) -> bool:
    try:
        _common_passwords().validate(candidate)
    except ValidationError:
        return True
    return False


def validate_region(code: str) -> None:
    if not is_supported_region(code):
        raise ValidationError(
            f"{code!r} is not a phone region we know. Use a two-letter country code such as US, GB or DE.",
            code="unknown_region",
        )
