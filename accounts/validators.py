"""Rules for account values, shared by the web forms, the services and the commands."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from accounts.regions import is_supported_region

PASSPHRASE_MIN_LENGTH = 6
PASSPHRASE_MAX_LENGTH = 128


def validate_passphrase(raw: str) -> None:
    if len(raw) < PASSPHRASE_MIN_LENGTH:
        raise ValidationError(
            f"Use at least {PASSPHRASE_MIN_LENGTH} characters for the passphrase.", code="passphrase_too_short"
        )
    if len(raw) > PASSPHRASE_MAX_LENGTH:
        raise ValidationError(
            f"Keep the passphrase under {PASSPHRASE_MAX_LENGTH} characters.", code="passphrase_too_long"
        )


def validate_region(code: str) -> None:
    if not is_supported_region(code):
        raise ValidationError(
            f"{code!r} is not a phone region we know. Use a two-letter country code such as US, GB or DE.",
            code="unknown_region",
        )
