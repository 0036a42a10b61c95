"""Grounding: a store is written only with a name and a number the user typed.

A model can invent values: a classifier may extract a name or number nobody
wrote, and the reply agent may call `save_store` with them. Phone validation
cannot tell, since an invented number can be perfectly valid. So before a
store is saved, renamed or re-numbered, Python checks each value against the
user's own words in this conversation: the message being answered and the
values of the save being collected (which came from earlier messages, and
were checked when they arrived).

- A phone is grounded when its national number appears within one run of
  digits the user typed (spaces, dots, dashes, slashes and brackets between
  the digits ignored) and its country code was typed before it or is the
  user's region's, which parsing adds: "415 555 0198" grounds +14155550198,
  "020 7946 0958" (region GB) grounds +442079460958. A vanity number the user
  typed ("1-800-FLOWERS") counts as its keypad digits. An extension's digits
  must have been typed too. A number that cannot be parsed is grounded when
  its digits (or, without digits, the text itself) were typed.
- A name is grounded when, folded (`normalize_name`: case, accents and
  punctuation), it is a run of whole words of the folded user text. Trimming
  words around it is allowed (that is how a name is cut out of a sentence);
  changing or adding any is not. A possessive may be cut off ("Costco's
  number" grounds "Costco"), and a name cut at the length limit may end in
  part of a word.

Pure Python: no database, no model.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import phonenumbers

from conversations.engine.pending import PendingAction
from conversations.models import PASSPHRASE_REDACTION
from conversations.phrasing.notes import NotInMessage
from conversations.schema import StoreMention
from directory.models import STORE_NAME_MAX_LENGTH
from directory.phones import PhoneError, digits_only, find_phones, parse_phone
from directory.shop_kinds import kind_name_terms
from directory.trigrams import normalize_name

logger = logging.getLogger(__name__)

# Digits with at most a few separators between groups: "(415) 555-0198", "020 7946 0958", "415.555.0198".
_DIGIT_RUN = re.compile(r"\d+(?:[ \t.\-/()]{1,3}\d+)*")
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4\u02bc]")


_WORD = re.compile(r"[\w'&]+|[^\w\s]")
# First words of real names that are also fillers or commands: a name starting with one may have lost or kept
# a word it should not have.
_FILLER_LIKE_STARTS = frozenset(
    {"quick", "great", "just", "at", "hello", "hi", "hey", "oh", "cool", "store", "shop", "phone", "contact"}
    | {"me", "my", "new", "best", "super", "top"}
)
# What may stand right before a name without belonging to it.
_BEFORE_A_NAME = frozenset(
    {"save", "add", "remember", "store", "keep", "note", "record", "put", "jot", "log", "bookmark", "create"}
    | {"please", "pls", "plz", "can", "could", "would", "you", "u", "i", "i'd", "want", "to", "like", "me", "it"}
    | {"a", "an", "the", "my", "our", "new", "called", "named", "is", "it's", "its", "was", "number", "phone"}
    | {"for", "of", "at", "as", "under", "and", "also", "then", "plus", ",", ":", ";", "-", ".", "!", "?", "(", ")"}
)


@dataclass(frozen=True)
class UserWords:
    """What the user typed that a save may draw on: this message and the values of the save being collected."""

    texts: tuple[str, ...]
    region: str

    @classmethod
    def of(cls, message: str, *, pending: PendingAction, region: str) -> UserWords:
        collected = [value for store in pending.saves for value in (store.name, store.phone, store.e164) if value]
        # A change held for the passphrase was grounded in the message that asked for it.
        collected += [value for change in pending.changes for value in (change.new_name, change.new_phone) if value]
        # A name the previous reply offered to save was checked against the user's words when it was offered.
        collected += [pending.offered_name] if pending.offered_name else []
        # The marker where a passphrase was hidden is the application's text, not the user's.
        return cls(texts=(message.replace(PASSPHRASE_REDACTION, " "), *collected), region=region)

    def missing(self, *, name: str | None, phone: str | None) -> list[str]:
        """Which of these values ("name", "phone") the user did not type; empty when both are grounded."""
        missing = []
        if name is not None and not self.grounds_name(name):
            missing.append("name")
        if phone is not None and not self.grounds_phone(phone):
            missing.append("phone")
        return missing

    def name_unsure(self, name: str) -> bool:
        """Whether the user's message leaves it open where the saved `name` begins: it starts with a word that is
        also a filler ("Just Tires", "Quick Stop Deli"), or a word was left out right before it that is not a
        command or filler ("my dentist Dr. Lee's Office" saved as "Dr. Lee's Office")."""
        wanted = _WORD.findall(name.casefold())
        if not wanted or not self.texts:
            return False
        if wanted[0] in _FILLER_LIKE_STARTS:
            return True
        typed = _WORD.findall(self.texts[0].casefold())
        for start in range(len(typed) - len(wanted) + 1):
            if typed[start : start + len(wanted)] == wanted:
                before = typed[start - 1] if start else None
                if before in {"my", "our"} and kind_name_terms(wanted[0]):
                    return True  # "my barber tony": the role may have been kept in the name
                return before is not None and before not in _BEFORE_A_NAME
        return False

    def grounds_name(self, name: str) -> bool:
        folded = normalize_name(name)
        if not folded:
            # Nothing to compare: an empty name is for validation to refuse; punctuation alone was never typed as one.
            return not name.strip()
        if any(f" {folded} " in text for text in self._folded_texts):
            return True
        split = _folded_apart(name)
        if any(f" {split} " in text for text in self._split_texts):
            return True
        # A name cut at the length limit may end inside a word.
        return len(name) >= STORE_NAME_MAX_LENGTH and any(f" {folded}" in text for text in self._folded_texts)

    def grounds_phone(self, phone: str) -> bool:
        try:
            parsed = parse_phone(phone, region=self.region)
        except PhoneError:
            digits = digits_only(phone)
            if digits:
                return any(digits in run for run in self._digit_runs)
            typed = phone.strip().casefold()
            return bool(typed) and any(typed in text.casefold() for text in self.texts)
        number = phonenumbers.parse(parsed.e164, None)
        national = phonenumbers.national_significant_number(number)
        country = str(number.country_code)
        region_country = str(phonenumbers.country_code_for_region(self.region))
        number_typed = any(
            country + national in run or (national in run and country == region_country) for run in self._digit_runs
        )
        extension = digits_only(parsed.extension)
        return number_typed and (not extension or any(extension in run for run in self._digit_runs))

    @cached_property
    def _folded_texts(self) -> tuple[str, ...]:
        return tuple(f" {normalize_name(text)} " for text in self.texts)

    @cached_property
    def _split_texts(self) -> tuple[str, ...]:
        return tuple(f" {_folded_apart(text)} " for text in self.texts)

    @cached_property
    def _digit_runs(self) -> tuple[str, ...]:
        runs = [digits_only(run.group(0)) for text in self.texts for run in _DIGIT_RUN.finditer(text)]
        # Vanity numbers ("1-800-FLOWERS") as the digits they dial.
        for text in self.texts:
            runs += [digits_only(match.phone.e164) for match in find_phones(text, region=self.region)]
        return tuple(runs)


def ground_mentions(
    mentions: Sequence[StoreMention], words: UserWords, *, about: str | None = None
) -> tuple[list[StoreMention], list[NotInMessage]]:
    """The mentions with only the values the user typed, and a note for each mention that lost a value.

    `about` names the store a mention without a name is for (the store just saved, for a correction).
    """
    kept: list[StoreMention] = []
    dropped: list[NotInMessage] = []
    for mention in mentions:
        name = (mention.name or "").strip() or None
        phone = (mention.phone or "").strip() or None
        missing = words.missing(name=name, phone=phone)
        if missing:
            logger.info("dropped values the user did not type: %s", ", ".join(missing))
            name = None if "name" in missing else name
            phone = None if "phone" in missing else phone
            dropped.append(NotInMessage(field=" and ".join(missing), name=name or about, phone=phone))
        if name or phone:
            kept.append(StoreMention(name=name, phone=phone))
    return kept, dropped


def _folded_apart(text: str) -> str:
    """Folded with apostrophes as word breaks, so a possessive cut off a word still matches ("Costco" in "Costco's")."""
    return normalize_name(_APOSTROPHES.sub(" ", text))
