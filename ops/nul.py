"""NUL characters in text from outside (forms, chat, files, the command line).

PostgreSQL refuses NUL in every text column and JSON value, so a NUL that
reaches a query fails the request with a 500. Text the user meant to save is
refused with NUL_REFUSED (Django's form fields already do this with their own
message); text only recorded about a request (audit rows) keeps a visible
replacement character instead, so nothing else of it is lost.
"""

from __future__ import annotations

NUL = "\x00"
NUL_REFUSED = "The text contains a NUL character (\\0), which cannot be saved. Remove it and try again."
# U+FFFD REPLACEMENT CHARACTER: shows where the NUL was.
REPLACEMENT = "\ufffd"


def has_nul(text: str) -> bool:
    return NUL in text


def nul_replaced(text: str) -> str:
    """The text with each NUL shown as U+FFFD, for records of what was sent."""
    return text.replace(NUL, REPLACEMENT)
