"""Phone regions a user can pick as the default for numbers typed without a country code."""

from __future__ import annotations

import unicodedata
from functools import cache

import phonenumbers

# phonenumbers' English names leave out a few territories; name them ourselves.
_NAMES_MISSING_FROM_PHONENUMBERS = {
    "AC": "Ascension Island",
    "TA": "Tristan da Cunha",
    "XK": "Kosovo",
}


def region_name(code: str) -> str:
    """The English name of a region: "US" -> "United States"."""
    # The geocoder's data takes a second of CPU to import: only pages with a region field need it.
    from phonenumbers.geocoder import _region_display_name

    return _region_display_name(code, "en") or _NAMES_MISSING_FROM_PHONENUMBERS.get(code, code)


def is_supported_region(code: str) -> bool:
    return code in phonenumbers.SUPPORTED_REGIONS


@cache
def region_choices() -> list[tuple[str, str]]:
    """(code, "United States (+1)") pairs sorted by name, for a select field."""
    labelled = [
        (code, f"{region_name(code)} (+{phonenumbers.country_code_for_region(code)})")
        for code in phonenumbers.SUPPORTED_REGIONS
    ]
    return sorted(labelled, key=lambda choice: _sort_key(choice[1]))


def _sort_key(name: str) -> str:
    # "Åland Islands" sorts with the A's, not after "Zimbabwe".
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
