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
    """A distinct, valid North American number for each n below 8,000,000 (area codes 212..., exchanges 200-999)."""
    area = AREA_CODES[n // 8_000_000 % len(AREA_CODES)] if n >= 8_000_000 else AREA_CODES[0]
    rest = n % 8_000_000
    exchange = 200 + rest // 10_000
    return f"+1{area}{exchange:03d}{rest % 10_000:04d}"


AREA_CODES = ("415", "212", "312", "617", "206", "512", "303", "404")


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


def search_queries(names: list[str], count: int, *, seed: int) -> list[str]:
    """A realistic mix of lookups over the user's own names: whole names, typos, a brand alone,
    a kind of shop (many matches), two letters, and names nobody saved."""
    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        name = rng.choice(names)
        brand = name.split()[0]
        kind = rng.randrange(6)
        if kind == 0:
            queries.append(name)
        elif kind == 1:
            queries.append(typo(name, rng))
        elif kind == 2:
            queries.append(brand)
        elif kind == 3:
            queries.append(rng.choice(KINDS).lower())
        elif kind == 4:
            queries.append(brand[:2])
        else:
            queries.append(_invented_word(rng) + " " + _invented_word(rng))
    return queries
