"""Text typed or uploaded by people, made safe to keep and compare.

Invisible characters can make two names that look the same differ, hide
words, or reorder what is shown (after a right-to-left override, U+202E,
"gpj.exe" shows as "exe.jpg"). `visible_text` drops them wherever text
enters: every Unicode format character (category Cf: bidirectional controls U+202A to U+202E,
U+2066 to U+2069, U+200E/U+200F, U+061C; zero-width characters U+200B to U+200D,
U+2060, U+FEFF; soft hyphens, invisible operators, tag characters and the
rest) and every control character except the whitespace ones, then puts the
text in NFC so "é" typed as one code point or as e + accent is the same text.

One exception: a zero-width joiner (U+200D) between two symbols stays. It is
what makes woman + U+200D + frying pan one emoji (a cook) instead of two, so
dropping it changes what the user sees; between symbols it cannot hide or
split a word. Between letters it is dropped like the rest (it would make
"pay" + U+200D + "pal" differ from "paypal").
Tag characters are dropped even though the flags of England, Scotland and
Wales use them (those show as a plain black flag): they are invisible ASCII,
a known way to smuggle text to a language model.
"""

from __future__ import annotations

import re
import unicodedata

ZERO_WIDTH_JOINER = "\u200d"
# What may sit between an emoji and its joiner: variation selector 16 (emoji
# presentation) and the five skin-tone modifiers.
_EMOJI_MODIFIERS = frozenset("\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")

# Every character of category Cf in Unicode 14.0 (Python 3.11's unicodedata;
# tests/ops/test_text.py checks this list against it), and the controls
# (Cc) that are not whitespace; whitespace controls are collapsed, not dropped.
_INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "]"
)


def visible_text(text: str) -> str:
    """`text` without invisible characters, in NFC; whitespace and line breaks kept."""
    if text.isascii() and text.isprintable():
        return text
    kept = _INVISIBLE.sub(_keep_emoji_joiner, text)
    return unicodedata.normalize("NFC", kept)


def single_line(text: str) -> str:
    """`visible_text` on one line: every run of whitespace (line breaks, tabs,
    no-break spaces) becomes one space, none at either end."""
    return " ".join(visible_text(text).split())


def _keep_emoji_joiner(match: re.Match[str]) -> str:
    if match.group() != ZERO_WIDTH_JOINER:
        return ""
    text, at = match.string, match.start()
    before = at - 1
    while before >= 0 and text[before] in _EMOJI_MODIFIERS:
        before -= 1
    after = at + 1
    if before >= 0 and after < len(text) and _is_symbol(text[before]) and _is_symbol(text[after]):
        return ZERO_WIDTH_JOINER
    return ""


def _is_symbol(char: str) -> bool:
    # Emoji are "Symbol, other" (So): faces, people, objects, hearts, hair components.
    return unicodedata.category(char) == "So"
