"""Deterministic fake directory data: store names with realistic trigram spread, valid phone numbers, queries.

Names look like a real directory ("Kavro Hardware Oakland", "Joe's Pizza #12"):
a brand (a common word or two invented syllables), a kind of shop, and now and
then a place or branch number. Invented brands keep the trigram index honest
(a handful of repeated names would make every search hit the same rows).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

COMMON_BRANDS = (
    "Acme", "Golden", "Blue Moon", "Sunrise", "Joe's", "Maria's", "Pacific", "Northside", "Corner", "Lucky",
    "Green Leaf", "Main Street", "Harbor", "Elm", "Oak Tree", "Summit", "Metro", "Royal", "Star", "Union",
    "Trader", "Costco", "Café Olé", "Ace", "Family", "City", "Village", "Bay", "Hilltop", "Riverside",
)  # fmt: skip
KINDS = (
    "Hardware", "Pizza", "Dry Cleaners", "Bakery", "Pharmacy", "Grocery", "Coffee", "Books", "Florist",
    "Auto Repair", "Deli", "Market", "Tailor", "Pet Supply", "Barber", "Nails", "Liquor", "Thai Kitchen",
    "Taqueria", "Sushi", "Laundromat", "Optical", "Dental", "Bike Shop", "Wholesale", "Gas", "Hair Salon",
    "Shoe Repair", "Locksmith", "Garden Center",
)  # fmt: skip
PLACES = ("Downtown", "Oakland", "Mission", "Uptown", "Airport", "Mall", "Eastside", "Marina")
_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "br", "tr", "st")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou")
_CODAS = ("", "", "n", "r", "l", "s", "x", "m")


def store_names(count: int, *, seed: int) -> Iterator[str]:
    """`count` store names, the same ones for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        yield store_name(rng)


def store_name(rng: random.Random) -> str:
    brand = rng.choice(COMMON_BRANDS) if rng.random() < 0.3 else _invented_word(rng)
    name = f"{brand} {rng.choice(KINDS)}"
    roll = rng.random()
    if roll < 0.15:
        name += f" {rng.choice(PLACES)}"
    elif roll < 0.25:
        name += f" #{rng.randint(1, 99)}"
    return name


def _invented_word(rng: random.Random) -> str:
    syllables = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(1, 2)))
    return (syllables + rng.choice(_CODAS)).capitalize()


def phone_e164(n: int) -> str:
    """A distinct, valid North American number for each n below 8,000,000 (415, exchanges 200 to 999)."""
    if not 0 <= n < 8_000_000:
        raise ValueError(f"No benchmark phone number for {n}.")
    return f"+1415{200 + n // 10_000:03d}{n % 10_000:04d}"


def typo(word: str, rng: random.Random) -> str:
    """`word` with one letter dropped, doubled or swapped with its neighbour (what people mistype)."""
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) < 4:
        return word
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


# What people call the kinds of shop of KINDS, as the chat passes them on ("the taco place").
KINDS_IN_WORDS = (
    "the chemist", "my barber", "the hair place", "the taco place", "the pizza place", "my dry cleaner",
    "the coffee shop", "the bakery", "the bookshop", "my mechanic", "the locksmith", "the laundry",
    "the pet store", "the florist", "the gas station", "the sushi place", "the deli", "the optician",
    "the nail place", "the drugstore",
)  # fmt: skip


def one_edit(word: str, rng: random.Random) -> str:
    """`word` with one letter dropped, added, changed, or swapped with its neighbour, at any place."""
    i = rng.randrange(len(word))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    edit = rng.randrange(4)
    if edit == 0 and len(word) > 1:
        return word[:i] + word[i + 1 :]
    if edit == 1:
        return word[:i] + letter + word[i:]
    if edit == 2:
        return word[:i] + letter + word[i + 1 :]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1 : i + 2] + word[i] + word[i + 2 :]


QUERY_KINDS = (
    "whole name", "typo", "brand", "kind of shop", "two letters", "not saved", "brand one edit", "kind in words",
)  # fmt: skip


def search_queries(names: list[str], count: int, *, seed: int) -> list[tuple[str, str]]:
    """(kind, query): a realistic mix of lookups over the user's own names, one kind of QUERY_KINDS
    in eight each: whole names, typos, a brand alone, a kind of shop (many matches), two letters,
    names nobody saved, a brand with one letter dropped, doubled, changed or swapped ("Kavor"),
    and a kind of shop in a person's words ("the chemist")."""
    rng = random.Random(seed)
    queries: list[tuple[str, str]] = []
    while len(queries) < count:
        name = rng.choice(names)
        brand = name.split()[0]
        kind = QUERY_KINDS[rng.randrange(len(QUERY_KINDS))]
        if kind == "whole name":
            query = name
        elif kind == "typo":
            query = typo(name, rng)
        elif kind == "brand":
            query = brand
        elif kind == "kind of shop":
            query = rng.choice(KINDS).lower()
        elif kind == "two letters":
            query = brand[:2]
        elif kind == "not saved":
            query = _invented_word(rng) + " " + _invented_word(rng)
        elif kind == "brand one edit":
            query = one_edit(brand, rng)
        else:
            query = rng.choice(KINDS_IN_WORDS)
        queries.append((kind, query))
    return queries
