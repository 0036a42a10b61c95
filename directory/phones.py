"""Phone numbers: parse what a person typed, find numbers in free text, format them.

Everything goes through `phonenumbers`, with two rules learned the hard way
(tests/directory/test_phone_parsing.py and test_phone_finding.py hold them): a
number is checked with `is_valid_number` before it is formatted (otherwise
"555-0198" becomes the garbage "+15550198"), and free text is never handed to
`parse()` (which reads "4155550198 thanks" as a 16-digit number).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, ValidationResult, shortnumberinfo

# Anything longer is not one phone number; Store.phone_original holds this many.
MAX_PHONE_INPUT_LENGTH = 64

# "1-800-FLOWERS", "(800) GOT-JUNK", "+1 800 FLOWERS": a North American area
# code followed by seven keypad characters, at least two of them letters.
# PhoneNumberMatcher never finds these; parse() reads them correctly.
_VANITY_NUMBER = re.compile(
    r"""
    (?<![\w+])
    (?:\+?1[ .-]?)?
    (?:\(\d{3}\)[ ]?|\d{3}[ .-])
    (?P<word>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)
    (?![\w-])
    """,
    re.VERBOSE,
)
_VANITY_WORD_LENGTH = 7
_VANITY_MIN_LETTERS = 2

# Digit groups joined by single separators, optionally with +, (area code):
# what a person writes when they mean a phone number.
_PHONE_LIKE_RUN = re.compile(r"(?<![\w+])\+?(?:\(\d+\)[ .-]?)?\d+(?:[ .-]\d+)*(?!\w)")
_MIN_PHONE_LIKE_DIGITS = 7
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# "ext. 12", "x12", "#12", ", 12" at the end: stripped before looking for
# letters, so an extension marker is not mistaken for a keypad word.
_EXTENSION_SUFFIX = re.compile(r"(?:[,;#]|\b(?:ext(?:ension)?\.?|x))\s*\d{1,7}\s*$", re.IGNORECASE)


class PhoneError(ValueError):
    """A phone number a person typed cannot be used; str() says why, for that person."""


@dataclass(frozen=True)
class ParsedPhone:
    e164: str
    # What the user typed, stripped, extension included.
    original: str
    # "" when there is none; E.164 cannot carry it, so it is kept here.
    extension: str


@dataclass(frozen=True)
class PhoneMatch:
    phone: ParsedPhone
    start: int
    end: int
    raw: str


def digits_only(text: str) -> str:
    """Every decimal digit in `text` as ASCII, digits of other scripts (full-width, Arabic-Indic) included."""
    return "".join(str(value) for ch in text if (value := unicodedata.decimal(ch, None)) is not None)


def parse_phone(raw: str, *, region: str) -> ParsedPhone:
    """Parse one phone number typed into a field; raise PhoneError saying what is wrong.

    `region` is the ISO 3166 region used when the number has no "+country code"
    (the user's default region).
    """
    original = (raw or "").strip()
    region = _checked_region(region)
    if not original:
        raise PhoneError("Please enter a phone number.")
    if len(original) > MAX_PHONE_INPUT_LENGTH:
        raise PhoneError(
            f"That is too long to be a phone number ({len(original)} characters; "
            f"at most {MAX_PHONE_INPUT_LENGTH} are accepted)."
        )
    try:
        number = phonenumbers.parse(original, region)
    except NumberParseException as exc:
        raise PhoneError(_explain_parse_failure(original, exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(_explain_invalid(original, number, region))
    return ParsedPhone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        original=original,
        extension=number.extension or "",
    )


def find_phones(text: str, *, region: str) -> list[PhoneMatch]:
    """Every valid phone number in free text, in order of appearance."""
    region = _checked_region(region)
    matches = [
        PhoneMatch(
            phone=_parsed_from_match(found.raw_string, found.number),
            start=found.start,
            end=found.end,
            raw=found.raw_string,
        )
        for found in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
    ]
    for vanity in _VANITY_NUMBER.finditer(text):
        if _overlaps(vanity.start(), vanity.end(), matches) or not _looks_like_keypad_word(vanity.group("word")):
            continue
        try:
            phone = parse_phone(vanity.group(0), region=region)
        except PhoneError:
            continue
        matches.append(PhoneMatch(phone=phone, start=vanity.start(), end=vanity.end(), raw=vanity.group(0)))
    return sorted(matches, key=lambda match: match.start)


def find_invalid_phone_candidates(text: str, *, region: str) -> list[str]:
    """Digit runs in free text that look like a phone number but are not a valid one.

    "555-0198" and "415-555-019" qualify; valid numbers, short figures (years,
    prices, zip codes) and ISO dates do not. Pass each to `parse_phone` to get
    the reason in words.
    """
    region = _checked_region(region)
    valid = find_phones(text, region=region)
    candidates: list[str] = []
    for run in _PHONE_LIKE_RUN.finditer(text):
        candidate = run.group(0)
        if (
            len(digits_only(candidate)) < _MIN_PHONE_LIKE_DIGITS
            or _ISO_DATE.fullmatch(candidate)
            or _overlaps(run.start(), run.end(), valid)
        ):
            continue
        if not _is_valid(candidate, region):
            candidates.append(candidate)
    return candidates


def format_phone(e164: str, *, region: str) -> str:
    """A stored number for reading: national format at home, international abroad."""
    region = _checked_region(region)
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException as exc:
        raise PhoneError(f"“{e164}” is not a number in international (E.164) form.") from exc
    home = phonenumbers.region_code_for_number(number) == region
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL)


def format_phone_at_home(e164: str) -> str:
    """A stored number as read in its own country ("+14155550101" as "(415) 555-0101"), when no user region
    is at hand."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException as exc:
        raise PhoneError(f"“{e164}” is not a number in international (E.164) form.") from exc
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def _checked_region(region: str) -> str:
    code = (region or "").strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise PhoneError(f"“{region}” is not a region phone numbers can be read for; use a code such as US or GB.")
    return code


def _parsed_from_match(raw: str, number: PhoneNumber) -> ParsedPhone:
    return ParsedPhone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        original=raw.strip(),
        extension=number.extension or "",
    )


def _overlaps(start: int, end: int, matches: list[PhoneMatch]) -> bool:
    return any(start < match.end and match.start < end for match in matches)


def _looks_like_keypad_word(word: str) -> bool:
    characters = word.replace("-", "")
    letters = sum(ch.isalpha() for ch in characters)
    return len(characters) == _VANITY_WORD_LENGTH and letters >= _VANITY_MIN_LETTERS


def _is_valid(candidate: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(candidate, region))
    except NumberParseException:
        return False


def _explain_parse_failure(raw: str, exc: NumberParseException) -> str:
    if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return f"“{raw}” starts with a country code that does not exist."
    if exc.error_type in (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD):
        return f"“{raw}” is too short to be a phone number."
    if exc.error_type == NumberParseException.TOO_LONG:
        return f"“{raw}” is too long to be a phone number."
    return f"“{raw}” is not a phone number: it needs digits, like 415-555-0198."


def _explain_invalid(raw: str, number: PhoneNumber, region: str) -> str:
    if shortnumberinfo.is_valid_short_number(number):
        return f"“{raw}” is a short service number (like 911), not a full phone number."
    if _has_letters_besides_extension(raw):
        return f"“{raw}” is not a valid phone number: letters are read as a keypad word (like 1-800-FLOWERS)."
    number_region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    digit_count = len(phonenumbers.national_significant_number(number))
    expected = _expected_lengths(number_region)
    written_internationally = raw.startswith("+")
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY and not written_internationally:
        return f"“{raw}” looks like a local number: add the area code ({expected} in {number_region})."
    if reason in (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        explanation = (
            f"“{raw}” is too short: it has {digit_count} digits, a phone number in {number_region} has {expected}."
        )
    elif reason == ValidationResult.TOO_LONG:
        explanation = (
            f"“{raw}” is too long: it has {digit_count} digits, a phone number in {number_region} has {expected}."
        )
    elif reason == ValidationResult.INVALID_LENGTH:
        explanation = f"“{raw}” has {digit_count} digits, but a phone number in {number_region} has {expected}."
    else:
        explanation = f"“{raw}” is not a valid phone number in {number_region}."
    if written_internationally:
        return explanation
    # Read with the default region, so a foreign number without its country code lands here.
    return f"{explanation} For a number abroad, start with + and the country code."


def _expected_lengths(region: str) -> str:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    lengths = sorted(metadata.general_desc.possible_length) if metadata and metadata.general_desc else []
    if not lengths:
        return "a different number of digits"
    if len(lengths) == 1:
        return f"{lengths[0]} digits"
    return f"{', '.join(str(n) for n in lengths[:-1])} or {lengths[-1]} digits"


def _has_letters_besides_extension(raw: str) -> bool:
    return any(ch.isalpha() for ch in _EXTENSION_SUFFIX.sub("", raw))
