"""Folding store names to what fuzzy search compares."""

from __future__ import annotations

import pytest

from directory.trigrams import normalize_name


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("Trader Joe's", "trader joes"),
        ("trader joes", "trader joes"),
        ("TRADER JOE\u2019S", "trader joes"),  # curly apostrophe
        ("Café Olé", "cafe ole"),
        ("CAFE\u0301 OLE\u0301", "cafe ole"),  # accents as combining marks
        ("Straße", "strasse"),
        ("Ace-Hardware", "ace hardware"),
        ("  Acme   Hardware\t\n", "acme hardware"),
        ("7-Eleven #1234", "7 eleven 1234"),
        ("A&W", "a w"),
        ("\ufb01ne foods", "fine foods"),  # a ligature, folded by NFKD
        ("\uff34\uff41\uff52\uff47\uff45\uff54", "target"),  # full-width letters
        ("Москва Маркет", "москва маркет"),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_normalize_name_folds_case_accents_and_punctuation(name, normalized):
    assert normalize_name(name) == normalized


def test_normalizing_twice_changes_nothing():
    once = normalize_name("  Ça Va? L'Épicerie—Fine ")

    assert normalize_name(once) == once == "ca va lepicerie fine"
