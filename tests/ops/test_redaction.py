"""What counts as personal data in outgoing text: phones, emails, stated
passphrases go; IP addresses, dates, versions and ids stay."""

from __future__ import annotations

import pytest

from ops.redaction import mask_phones, scrub_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Save ACME Hardware, 415-555-0198", "Save ACME Hardware, [phone]"),
        ("call +1 (415) 555-0198 now", "call [phone] now"),
        ("4155550198 thanks", "[phone] thanks"),
        ("dotted 415.555.0198.", "dotted [phone]."),
        ("London +44 20 7946 0958", "London [phone]"),
        ('{"phone": "+14155550198"}', '{"phone": "[phone]"}'),
    ],
)
def test_phone_numbers_are_masked(text, expected):
    assert mask_phones(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "client 203.0.113.77 via 10.0.0.12:8000",
        "at 2026-11-24 04:33:37",
        "sentry-sdk 2.75.0",
        "order 12345",
        "trace 8123456789abcdef1234",
        "uuid 3f2a1b4c-1234-5678-9abc-def012345678",
    ],
)
def test_addresses_dates_versions_and_ids_survive(text):
    assert scrub_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wrong passphrase 'open sesame' for bob@example.com", "wrong passphrase [Filtered]"),
        ("passphrase: open sesame", "passphrase: [Filtered]"),
        ("password=hunter2, retry", "password=[Filtered], retry"),
        ("mail alice@example.com today", "mail [email] today"),
        ("stored as [passphrase redacted]", "stored as [passphrase redacted]"),
    ],
)
def test_emails_and_stated_secrets_are_removed(text, expected):
    assert scrub_text(text) == expected
