"""A keyed fingerprint of the passphrase, to find it in any text without checking its slow hash per guess.

The passphrase hash (Argon2id, ~50 ms a check) proves an attempt; it is far too
slow to test every span of every chat message. Beside it the user row keeps an
HMAC-SHA256 of the *normalised* passphrase, keyed with a key derived from
SECRET_KEY: one HMAC per span costs about a microsecond, so every run of words
in a 2,000-character message can be compared before the message is stored or
sent to a model.

Normalisation, the same when the passphrase is set and when text is scanned:
the words (runs of letters and digits, NFKC, case-folded) joined by one space.
Case, quotes, punctuation and spacing do not matter, so "Open-Sesame!",
"'open sesame'" and "OPEN  SESAME" all match "open sesame": whatever the user
types of their passphrase is found, and a near miss is hidden too.

Security trade-off: without SECRET_KEY the fingerprint is useless to an
attacker; with it (a database dump *and* the key), it is a fast hash, so a
guessable passphrase falls far faster than against Argon2id. Its strength is the
key's secrecy. The fingerprint is tagged with the key and the current hash it
belongs to: after a SECRET_KEY rotation or a hash written by another path it
reads as missing (never as a stale match), and the next right passphrase
writes it again.

What it does not stop: the hiding is visible to whoever typed the message, so
someone already signed in as the user can type many guesses in one message
and see whether one was hidden, without a wrong attempt being counted. The
chat rate limit, the daily budget and the strength rules (accounts.validators)
bound that; unlocking still needs the exact passphrase, checked by its hash.

Cost, measured on one core: 1 ms for a 200-character message, 14 ms for
2,000 characters of ordinary words, 117 ms for 2,000 characters of one-letter
words (the worst case: every run up to 128 characters is compared).
"""

from __future__ import annotations

import functools
import hmac
import re
import unicodedata

from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "storebot.accounts.passphrase_fingerprint"
# Letters and digits; everything else (spaces, quotes, punctuation, underscores) separates words.
_WORD = re.compile(r"[^\W_]+")
_TAG_CHARS = 16
# No passphrase is longer (accounts.validators), so no longer span needs a fingerprint.
SPAN_MAX_CHARS = 128


@functools.cache
def _key(secret: str) -> bytes:
    return salted_hmac(_SALT, "passphrase fingerprint key", secret=secret, algorithm="sha256").digest()


def _hmac(message: str) -> bytes:
    return hmac.digest(_key(settings.SECRET_KEY), message.encode(), "sha256")


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def normalise(raw: str) -> str:
    """The passphrase as the fingerprint sees it: its words, folded, one space apart."""
    return " ".join(_fold(word) for word in _WORD.findall(raw))


def _tag(passphrase_hash: str) -> str:
    return _hmac(f"tag\0{passphrase_hash}").hex()[:_TAG_CHARS]


def fingerprint_make(raw: str, *, passphrase_hash: str) -> str:
    """What the user row keeps for `raw` (its hash `passphrase_hash`); empty when `raw` has no words."""
    normalised = normalise(raw)
    if not normalised:
        return ""
    return f"{_tag(passphrase_hash)}${_hmac(normalised).hex()}"


def fingerprint_digest(stored: str, *, passphrase_hash: str) -> bytes | None:
    """The digest to look for, if `stored` belongs to this key and this hash; None when it must be written again."""
    tag, _, digest = stored.partition("$")
    if not digest or not passphrase_hash or not hmac.compare_digest(tag, _tag(passphrase_hash)):
        return None
    return bytes.fromhex(digest)


def fingerprint_spans(text: str, digest: bytes) -> list[tuple[int, int]]:
    """Where in `text` a run of words normalises to the fingerprinted passphrase: (start, end) of each run.

    Every run of consecutive words up to SPAN_MAX_CHARS long is compared; spans may overlap.
    """
    key = _key(settings.SECRET_KEY)
    words = [(match.start(), match.end(), _fold(match.group())) for match in _WORD.finditer(text)]
    found = []
    for first, (start, end, candidate) in enumerate(words):
        last = first
        while len(candidate) <= SPAN_MAX_CHARS:
            if hmac.compare_digest(hmac.digest(key, candidate.encode(), "sha256"), digest):
                found.append((start, end))
            last += 1
            if last == len(words):
                break
            end = words[last][1]
            candidate = f"{candidate} {words[last][2]}"
    return found
