"""A message as tokens for the offline rules: words, punctuation and whole phone numbers.

Every token remembers where it came from, so a store name cut out of the
token stream is sliced from the user's own text with its capitalisation and
punctuation ("Joe's Pizza", "AT&T"), while the rules match a folded form
("what's" → "what", "nubmer" → "number") joined into one string.

Phone numbers become single tokens whose folded form is `PHONE` (valid) or
`BADPHONE` (looks like a number but is not a valid one); no folded word is
upper case, so patterns can name them safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import phonenumbers

from conversations.offline.vocabulary import CANONICAL_WORDS
from directory.phones import digits_only, find_invalid_phone_candidates, find_phones

VALID_PHONE = "PHONE"
INVALID_PHONE = "BADPHONE"
BREAK = ";"

_WORD_OR_MARK = re.compile(r"\w+(?:['\u2019]\w+)*|\n|[^\w\s]")
_FALLBACK_REGION = "US"
# "costco's #" asks for the number.
_MARK_WORDS = {"#": "number"}
_NAME_OPENING_WORDS = frozenset(
    {"the", "a", "an", "my", "new", "this", "that", "our", "your", "one"}
    # Filler and command-object words that also open real names ("Great Clips", "At Home", "Contact Lens King").
    | {"great", "cool", "just", "quick", "oh", "hello", "hi", "hey", "at", "store", "phone", "contact", "best", "open"}
    # Object words that open names too ("To Go Sushi", "In-N-Out", "With Love Bakery", "Here We Go Tacos").
    | {"to", "in", "with", "here", "of", "it", "is", "down", "another", "these", "both", "following", "number"}
)
# At the start of a sentence these are a greeting or a command ("Hello Costco", "Store Costco 415-..."), not a name.
_SENTENCE_START_COMMANDS = frozenset({"hello", "hi", "hey", "store", "contact"})
_SENTENCE_MARKS = frozenset({".", "!", "?", BREAK})
# A capitalised opening word before one of these is still filler: "The Number For", "Just Save Costco".
_NOT_NAME_WORDS = frozenset({"number", "phone", "name", "store", "save", "add", "remember", "thanks", "please", "bye"})
# "what's", "it's" are words of their own; any other "'s" is split off ("Costco's" → "costco", "'s").
_CONTRACTIONS = frozenset(
    {"what's", "it's", "that's", "who's", "where's", "here's", "there's", "let's", "he's", "she's"}
)
_POSSESSIVE = re.compile(r"^(?P<stem>.+)['\u2019][sS]$")


class Kind(StrEnum):
    WORD = "word"
    PHONE = "phone"
    BAD_PHONE = "bad_phone"
    MARK = "mark"


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str
    canon: str
    start: int
    end: int
    e164: str | None = None

    @property
    def is_phone(self) -> bool:
        return self.kind in (Kind.PHONE, Kind.BAD_PHONE)

    @property
    def digits(self) -> str:
        return digits_only(self.text)


@dataclass(frozen=True)
class Span:
    """A run of tokens from one message; `canon` is their folded forms joined by spaces."""

    text: str
    tokens: tuple[Token, ...]

    @cached_property
    def canon(self) -> str:
        return " ".join(token.canon for token in self.tokens)

    @cached_property
    def _starts(self) -> list[int]:
        starts, position = [], 0
        for token in self.tokens:
            starts.append(position)
            position += len(token.canon) + 1
        return starts

    def __bool__(self) -> bool:
        return bool(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def slice(self, first: int, stop: int) -> Span:
        return Span(self.text, self.tokens[first:stop])

    def index_at(self, offset: int) -> int:
        """The first token starting at or after `offset` in `canon`."""
        for index, start in enumerate(self._starts):
            if start >= offset:
                return index
        return len(self.tokens)

    def after(self, match: re.Match[str]) -> Span:
        return self.slice(self.index_at(match.end()), len(self.tokens))

    def before(self, match: re.Match[str]) -> Span:
        return self.slice(0, self.index_at(match.start()))

    def inside(self, match: re.Match[str], group: str) -> Span:
        return self.slice(self.index_at(match.start(group)), self.index_at(match.end(group)))

    def strip(self, leading: re.Pattern[str] | None, trailing: re.Pattern[str] | None) -> Span:
        """Drop filler from both ends; each pattern matches one unit at the start (or end) of `canon`."""
        span = self
        while span and leading and (found := leading.match(span.canon)):
            span = span.after(found)
            if not found.group(0).strip():
                break
        while span and trailing and (found := trailing.search(span.canon)):
            shorter = span.before(found)
            if len(shorter) == len(span):
                break
            span = shorter
        return span

    def original(self) -> str:
        """The user's own text for this span, trimmed of surrounding spaces."""
        if not self.tokens:
            return ""
        return self.text[self.tokens[0].start : self.tokens[-1].end].strip()

    def phones(self) -> list[Token]:
        return [token for token in self.tokens if token.is_phone]

    def words(self) -> list[str]:
        return [token.canon for token in self.tokens if token.kind == Kind.WORD]


def tokenize(text: str, *, region: str) -> Span:
    """Split `text` into tokens, each phone number (valid or not) kept whole."""
    region = region.upper() if region and region.upper() in phonenumbers.SUPPORTED_REGIONS else _FALLBACK_REGION
    phones = _phone_tokens(text, region)
    tokens: list[Token] = []
    position = 0
    for phone in [*phones, None]:
        stop = phone.start if phone else len(text)
        tokens.extend(_plain_tokens(text, position, stop))
        if phone:
            tokens.append(phone)
            position = phone.end
    return Span(text, tuple(_fold_capitalised_article(tokens)))


def _phone_tokens(text: str, region: str) -> list[Token]:
    found = [
        Token(Kind.PHONE, match.raw, VALID_PHONE, match.start, match.end, match.phone.e164)
        for match in find_phones(text, region=region)
    ]
    # The candidates come back as strings: find each one's place, left to right, outside the valid numbers.
    search_from = 0
    for candidate in find_invalid_phone_candidates(text, region=region):
        start = text.find(candidate, search_from)
        while start >= 0 and any(start < t.end and t.start < start + len(candidate) for t in found):
            start = text.find(candidate, start + 1)
        if start < 0:
            continue
        found.append(Token(Kind.BAD_PHONE, candidate, INVALID_PHONE, start, start + len(candidate)))
        search_from = start + len(candidate)
    return sorted(found, key=lambda token: token.start)


def _plain_tokens(text: str, start: int, stop: int) -> list[Token]:
    tokens = []
    for match in _WORD_OR_MARK.finditer(text, start, stop):
        piece = match.group(0)
        if piece == "\n":
            tokens.append(Token(Kind.MARK, piece, BREAK, match.start(), match.end()))
        elif piece[0].isalnum() or piece[0] == "_":
            tokens.extend(_word_tokens(piece, match.start()))
        else:
            tokens.append(Token(Kind.MARK, piece, _MARK_WORDS.get(piece, piece), match.start(), match.end()))
    return tokens


def _word_tokens(word: str, start: int) -> list[Token]:
    folded = _fold_word(word)
    possessive = _POSSESSIVE.match(word)
    if possessive is None or folded in _CONTRACTIONS or word.casefold() in CANONICAL_WORDS:
        return [Token(Kind.WORD, word, folded, start, start + len(word))]
    stem = possessive.group("stem")
    split = start + len(stem)
    return [
        Token(Kind.WORD, stem, _fold_word(stem), start, split),
        Token(Kind.WORD, word[len(stem) :], "'s", split, start + len(word)),
    ]


def _fold_word(word: str) -> str:
    folded = word.casefold().replace("\u2019", "'")
    return CANONICAL_WORDS.get(folded, folded)


def _fold_capitalised_article(tokens: list[Token]) -> list[Token]:
    # "The Home Depot", "Great Clips" and "A&W" keep their first word; "the
    # number for ..." and "great, thanks" do not. A capitalised opening word
    # before a capitalised word, a figure or "&" is part of a name, so its
    # folded form stops matching the filler patterns.
    folded = list(tokens)
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        starts_sentence = index == 0 or tokens[index - 1].canon in _SENTENCE_MARKS
        if (
            token.canon in _NAME_OPENING_WORDS
            and token.text[:1].isupper()
            and (following.text[:1].isupper() or following.text[:1].isdigit() or following.text in {"&", "'"})
            and following.canon not in _NOT_NAME_WORDS
            and not (starts_sentence and token.canon in _SENTENCE_START_COMMANDS)
        ):
            folded[index] = Token(token.kind, token.text, f"{token.canon}_", token.start, token.end)
    return folded
