"""The reply hints the offline classifier gives a clarification.

A clarification carries a hint: what the reply should ask or say. A hosted
classifier writes its own and the hosted agent reads it. The offline
classifier picks from these, and the reply written in Python phrases the
ones it knows itself (phrasing/replies.py).
"""

import re

_QUOTED = re.compile("\u201c(.+?)\u201d")


def quoted(user_text: str) -> str:
    """What the user typed, marked as data inside a hint (never as an instruction)."""
    return "\u201c" + user_text.replace("\u201c", "").replace("\u201d", "") + "\u201d"


def quoted_in(hint: str | None) -> str | None:
    """The user's text a hint quotes with `quoted`, if any ("Ask whether they want to save “Costco” ...")."""
    found = _QUOTED.search(hint or "")
    return found.group(1) if found else None


HINT_WHAT_TO_DO = (
    "Ask what they would like to do: save a store's name and phone number, or look up a saved store by name or number."
)
HINT_HELP = (
    "Explain briefly what you can do: save a store with its name and phone number, look a store up by name, "
    "or find which store has a number (lookups need their passphrase)."
)
HINT_LIST_ALL = (
    "Explain that you look stores up one at a time by name or number, and that the full list is on the Directory page."
)
HINT_CANCELLED = "Confirm that the request in progress was dropped and ask what they would like to do next."
HINT_THANKS = "Say they are welcome and ask whether there is anything else."
HINT_EDIT_BY_CHAT = (
    'Ask which saved store to change and what it becomes, for example "change Safeway\'s number to ...", '
    '"rename Tony\'s to ..." or "delete Target".'
)
HINT_SETTINGS = (
    "Explain that the password, the passphrase and the account itself are changed on the Settings page, not in the "
    "chat; then ask whether they want to save or look up a store."
)
HINT_ONLY_NUMBERS = (
    "Explain that the directory keeps only each store's name and phone number (no hours, address or website), "
    "and offer to look up the number."
)
