"""Masking personal data in text that leaves the app (Sentry events, traces).

Phone numbers, email addresses and whatever follows the word "passphrase" or
"password" are replaced with markers. IP addresses, dates and ids survive:
operators need them. Never imports models (Sentry is set up from settings).
"""

from __future__ import annotations

import re

PHONE_MARK = "[phone]"
EMAIL_MARK = "[email]"
FILTERED_MARK = "[Filtered]"

# A run of digits with the separators people type ("+1 (415) 555-0198",
# "415.555.0198"), not glued to letters or a leading dot. Hex ids never match:
# their digits touch letters, and UUID groups touch dashes.
_PHONE_CANDIDATE = re.compile(r"(?<![\w.-])\+?\(?\d[\d ().\-/]{4,}\d(?![\w-])")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15  # E.164 allows at most 15

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# "passphrase: open sesame", "password=hunter2", "wrong passphrase 'x y'":
# the rest of the clause after the keyword is the secret.
_SECRET_PHRASE = re.compile(
    r"(?i)\b(pass(?:phrase|word)s?|passwd|secret)\b(\s*(?:is|was|=|:)?\s*)(?!redacted\b)[^\s,;.!?][^\n,;]*"
)


def _mask_phone_candidate(match: re.Match[str]) -> str:
    candidate = match.group(0)
    digits = sum(ch.isdigit() for ch in candidate)
    if not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        return candidate
    if _IPV4.fullmatch(candidate) or _ISO_DATE.search(candidate):
        return candidate
    return PHONE_MARK


def mask_phones(text: str) -> str:
    """Replace phone numbers with a marker; what traces keep of user text."""
    return _PHONE_CANDIDATE.sub(_mask_phone_candidate, text)


def scrub_text(text: str) -> str:
    """Remove phone numbers, email addresses and stated passphrases or passwords."""
    text = _SECRET_PHRASE.sub(lambda m: f"{m.group(1)}{m.group(2) or ' '}{FILTERED_MARK}", text)
    text = _EMAIL.sub(EMAIL_MARK, text)
    return mask_phones(text)
