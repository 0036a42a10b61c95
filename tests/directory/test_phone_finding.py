"""Finding phone numbers in free text, and formatting stored numbers for reading."""

from __future__ import annotations

import pytest

from directory.phones import (
    PhoneError,
    digits_only,
    find_invalid_phone_candidates,
    find_phones,
    format_phone,
    parse_phone,
)


def found(text, region="US"):
    return [(match.phone.e164, match.raw, match.phone.extension) for match in find_phones(text, region=region)]


def test_a_number_followed_by_words_is_found_alone():
    assert found("4155550198 thanks") == [("+14155550198", "4155550198", "")]


def test_numbers_are_found_in_order_with_positions():
    text = "Save ACME Hardware, 415-555-0198 and Corner Deli +44 20 7946 0958"

    matches = find_phones(text, region="US")

    assert [(m.phone.e164, text[m.start : m.end]) for m in matches] == [
        ("+14155550198", "415-555-0198"),
        ("+442079460958", "+44 20 7946 0958"),
    ]


def test_vanity_numbers_are_found():
    assert found("order from 1-800-FLOWERS, or call (800) GOT-JUNK today") == [
        ("+18003569377", "1-800-FLOWERS", ""),
        ("+18004685865", "(800) GOT-JUNK", ""),
    ]


def test_an_extension_in_text_is_kept():
    assert found("call 415-555-0198 x12 please") == [("+14155550198", "415-555-0198 x12", "12")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no numbers here",
        "open 9 to 5, price 19.99, zip 94110",
        "meet at 212 big sale",
        "it was 2024-01-15",
        "555-0198",
    ],
)
def test_text_without_a_valid_number_finds_none(text):
    assert find_phones(text, region="US") == []


def test_a_national_number_is_read_with_the_region_given():
    assert found("ring 020 7946 0958", region="GB") == [("+442079460958", "020 7946 0958", "")]


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("Save Corner Deli, 555-0198", ["555-0198"]),
        ("its number is 415-555-019 I think", ["415-555-019"]),
        ("save 415-555-0198 and 555-0199", ["555-0199"]),
        ("4155550198 thanks", []),
        ("open 9 to 5, price 19.99, zip 94110, since 2024-01-15", []),
    ],
)
def test_phone_like_digit_runs_that_are_not_valid_are_reported(text, candidates):
    assert find_invalid_phone_candidates(text, region="US") == candidates


def test_a_reported_candidate_gets_its_reason_from_parse_phone():
    [candidate] = find_invalid_phone_candidates("save Corner Deli, 555-0198", region="US")

    with pytest.raises(PhoneError, match="looks like a local number"):
        parse_phone(candidate, region="US")


@pytest.mark.parametrize(
    ("e164", "region", "shown"),
    [
        ("+14155550198", "US", "(415) 555-0198"),
        ("+442079460958", "US", "+44 20 7946 0958"),
        ("+442079460958", "GB", "020 7946 0958"),
        ("+14155550198", "GB", "+1 415-555-0198"),
    ],
)
def test_format_phone_is_national_at_home_and_international_abroad(e164, region, shown):
    assert format_phone(e164, region=region) == shown


def test_format_phone_refuses_what_is_not_e164():
    with pytest.raises(PhoneError, match="not a number in international"):
        format_phone("hello", region="US")


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("(415) 555-0198", "4155550198"),
        ("+44 20", "4420"),
        ("no digits", ""),
        ("\u0664\u0661\u0665 \uff15\uff15\uff15", "415555"),
    ],
)
def test_digits_only_keeps_every_decimal_digit_as_ascii(text, digits):
    # The last case is Arabic-Indic and full-width digits.
    assert digits_only(text) == digits
