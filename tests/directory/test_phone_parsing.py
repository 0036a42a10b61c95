"""Reading one phone number typed into a field."""

from __future__ import annotations

import pytest

from directory.phones import ParsedPhone, PhoneError, parse_phone


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("415-555-0198", "US", "+14155550198"),
        ("(415) 555 0198", "US", "+14155550198"),
        ("415.555.0198", "US", "+14155550198"),
        ("1 (415) 555-0198", "US", "+14155550198"),
        ("+1 415 555 0198", "GB", "+14155550198"),
        ("  415-555-0198  ", "US", "+14155550198"),
        ("\uff14\uff11\uff15-\uff15\uff15\uff15-\uff10\uff11\uff19\uff18", "US", "+14155550198"),  # full-width digits
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("030 123456789", "DE", "+4930123456789"),
        ("1-800-FLOWERS", "US", "+18003569377"),
        ("(800) GOT-JUNK", "US", "+18004685865"),
    ],
)
def test_valid_numbers_become_e164(raw, region, e164):
    parsed = parse_phone(raw, region=region)

    assert parsed == ParsedPhone(e164=e164, original=raw.strip(), extension="")


@pytest.mark.parametrize(
    ("raw", "extension"),
    [
        ("415-555-0198 ext. 12", "12"),
        ("415-555-0198 x12", "12"),
        ("415-555-0198 extension 7", "7"),
        ("415-555-0198 #3", "3"),
    ],
)
def test_an_extension_is_kept_beside_the_e164_number(raw, extension):
    parsed = parse_phone(raw, region="US")

    assert parsed.e164 == "+14155550198"
    assert parsed.extension == extension
    assert parsed.original == raw


def test_the_region_is_case_insensitive():
    assert parse_phone("020 7946 0958", region="gb").e164 == "+442079460958"


@pytest.mark.parametrize(
    ("raw", "region", "reason"),
    [
        ("", "US", "Please enter a phone number."),
        ("   ", "US", "Please enter a phone number."),
        ("call me", "US", "“call me” is not a phone number: it needs digits"),
        ("555-0198", "US", "“555-0198” looks like a local number: add the area code (10 digits in US)."),
        ("415-555-019", "US", "“415-555-019” is too short: it has 9 digits, a phone number in US has 10 digits."),
        ("41555501981234", "US", "“41555501981234” is too long: it has 14 digits, a phone number in US has 10 digits."),
        ("123-456-7890", "US", "“123-456-7890” is not a valid phone number in US."),
        ("020 7946 0958", "US", "For a number abroad, start with + and the country code."),
        ("+44 20 7946 09", "US", "“+44 20 7946 09” is too short: it has 8 digits, a phone number in GB has 7, 9 or 10"),
        ("+999 1234567", "US", "starts with a country code that does not exist"),
        ("911", "US", "“911” is a short service number (like 911), not a full phone number."),
        ("4155550198 thanks", "US", "letters are read as a keypad word (like 1-800-FLOWERS)"),
        ("1-800-CONTACTS", "US", "letters are read as a keypad word"),
    ],
)
def test_invalid_numbers_are_refused_with_the_reason(raw, region, reason):
    with pytest.raises(PhoneError) as refused:
        parse_phone(raw, region=region)

    assert reason in str(refused.value)


def test_an_over_long_input_is_refused_not_a_crash():
    with pytest.raises(PhoneError, match="too long to be a phone number \\(300 characters; at most 64"):
        parse_phone("1" * 300, region="US")


def test_an_unknown_region_is_refused_with_a_clear_message():
    with pytest.raises(PhoneError, match="“XX” is not a region phone numbers can be read for"):
        parse_phone("415-555-0198", region="XX")


def test_a_phone_error_is_a_value_error():
    assert issubclass(PhoneError, ValueError)
