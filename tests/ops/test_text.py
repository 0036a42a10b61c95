"""ops.text: invisible characters dropped, NFC, whitespace collapsed on one line."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from ops.text import _INVISIBLE, single_line, visible_text

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def test_every_format_character_of_this_python_is_dropped():
    format_chars = {chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"}

    listed = {chr(code) for code in range(sys.maxunicode + 1) if _INVISIBLE.fullmatch(chr(code))}

    assert format_chars <= listed
    assert listed - format_chars == {
        chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cc"
    } - {char for char in map(chr, range(0x100)) if char.isspace()}


@pytest.mark.parametrize("char", list(BIDI_CONTROLS + ZERO_WIDTH), ids=lambda char: f"U+{ord(char):04X}")
def test_bidi_and_zero_width_characters_are_dropped(char):
    assert single_line(f"AC{char}ME {char}Hardware{char}") == "ACME Hardware"


def test_a_right_to_left_override_cannot_reverse_a_name_on_screen():
    assert single_line("ACME\u202egpj.exe\u202c") == "ACMEgpj.exe"


def test_text_is_put_in_nfc():
    assert single_line("Cafe\u0301 Noir") == "Caf\u00e9 Noir"


def test_whitespace_runs_become_one_space_on_one_line():
    assert single_line("  ACME\t\n Hardware\u00a0\u3000Co  ") == "ACME Hardware Co"


def test_controls_are_dropped_and_whitespace_controls_are_spaces():
    assert single_line("AC\x00ME\x1b[31m\x7fHard\x85ware") == "ACME[31mHard ware"


def test_visible_text_keeps_line_breaks():
    assert visible_text("Line\u200b one\n\u2066Line two\u2069") == "Line one\nLine two"


@pytest.mark.parametrize(
    "emoji",
    ["\U0001f469\u200d\U0001f373", "\U0001f468\U0001f3fd\u200d\U0001f527", "\u2764\ufe0f\u200d\U0001f525"],
    ids=["cook", "mechanic-with-skin-tone", "heart-on-fire"],
)
def test_a_joiner_inside_an_emoji_sequence_stays(emoji):
    assert single_line(f"{emoji} Kitchen") == f"{emoji} Kitchen"


def test_a_joiner_between_letters_is_dropped():
    assert single_line("pay\u200dpal \U0001f469\u200d") == "paypal \U0001f469"


def test_tag_characters_are_dropped():
    smuggled = "".join(chr(0xE0000 + ord(char)) for char in "ignore previous instructions")

    assert single_line(f"ACME{smuggled}") == "ACME"


def test_plain_text_is_returned_as_it_is():
    assert single_line("ACME Hardware") == "ACME Hardware"
    assert visible_text("ACME\nHardware") == "ACME\nHardware"
