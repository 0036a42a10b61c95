"""Reads of the store directory, always scoped to one owner."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import BigIntegerField, F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Collate

from directory.models import Store
from directory.phones import PhoneError, digits_only, parse_phone
from directory.search import normalize_name

if TYPE_CHECKING:
    from accounts.models import User

# pg_trgm's defaults, set explicitly so PostgreSQL and SQLite agree whatever
# the server's configuration says.
SIMILARITY_THRESHOLD = 0.3
WORD_SIMILARITY_THRESHOLD = 0.6
# Shorter queries have too few trigrams to match anything; they match by prefix.
MIN_TRIGRAM_QUERY_LENGTH = 3
MAX_QUERY_LENGTH = 200
MIN_PHONE_SEARCH_DIGITS = 4

_STORE_LIST_ORDERS: dict[str, tuple[str, ...]] = {
    "name": ("normalized_name", "id"),
    "-name": ("-normalized_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}


@dataclass(frozen=True)
class StoreMatch:
    store: Store
    # Mean of pg_trgm's similarity and word_similarity between query and name, 0 to 1.
    score: float


def store_get(*, user: User, store_id: int, include_deleted: bool = False) -> Store:
    """The owner's store; raises Store.DoesNotExist for anyone else's (or a deleted one, unless asked)."""
    stores = Store.objects.owned_by(user)
    if not include_deleted:
        stores = stores.live()
    return stores.get(pk=store_id)


def store_list(*, user: User, order: str = "name", deleted: bool = False) -> QuerySet[Store]:
    """The owner's live stores, or the deleted ones when `deleted` (the trash)."""
    if order not in _STORE_LIST_ORDERS:
        raise ValueError(f"Unknown order {order!r}; use one of {', '.join(_STORE_LIST_ORDERS)}.")
    stores = Store.objects.owned_by(user)
    stores = stores.deleted() if deleted else stores.live()
    return stores.order_by(*_STORE_LIST_ORDERS[order])


def store_find_live_by_phone(*, user: User, phone_e164: str) -> Store | None:
    return Store.objects.owned_by(user).live().filter(phone_e164=phone_e164).first()


def store_search_by_name(*, user: User, query: str, limit: int = 10) -> list[StoreMatch]:
    """The owner's live stores whose name is like `query`, best match first.

    Fuzzy by pg_trgm's measures: a name matches when its similarity to the query
    reaches 0.3 or the query's word similarity to it reaches 0.6 ("acme hardwre"
    finds "ACME Hardware", "cost" finds "Costco Wholesale"). Queries under three
    characters match names with a word starting with them. Ties are broken by
    name (byte order) then id, so PostgreSQL and SQLite return the same list.
    """
    needle = normalize_name(query)[:MAX_QUERY_LENGTH]
    if not needle or limit <= 0:
        return []
    # As bigint: PostgreSQL 15's btree_gin cannot use the trigram index for
    # bigint = integer, and a bare parameter is sent as an integer.
    stores = Store.objects.filter(user_id=Cast(Value(user.pk), BigIntegerField())).live()
    similarity = Cast(TrigramSimilarity("normalized_name", needle), FloatField())
    word_similarity = Cast(TrigramWordSimilarity(needle, "normalized_name"), FloatField())
    stores = stores.annotate(similarity=similarity, word_similarity=word_similarity)
    if len(needle) < MIN_TRIGRAM_QUERY_LENGTH:
        stores = stores.filter(Q(normalized_name__startswith=needle) | Q(normalized_name__contains=f" {needle}"))
    elif connection.vendor == "postgresql":
        # The operators, not a comparison on the annotation, are what the
        # trigram index serves (NOTES.md).
        stores = stores.filter(
            Q(normalized_name__trigram_similar=needle) | Q(normalized_name__trigram_word_similar=needle)
        )
    else:
        stores = stores.filter(
            Q(similarity__gte=SIMILARITY_THRESHOLD) | Q(word_similarity__gte=WORD_SIMILARITY_THRESHOLD)
        )
    ranked = stores.annotate(score=(F("similarity") + F("word_similarity")) / 2).order_by(
        "-score", _name_in_byte_order(), "id"
    )[:limit]
    if connection.vendor != "postgresql":
        # No transaction here: on SQLite, with IMMEDIATE transactions, even a
        # read would take the write lock.
        return [StoreMatch(store=store, score=store.score) for store in ranked]
    with transaction.atomic():
        _set_trigram_thresholds()
        return [StoreMatch(store=store, score=store.score) for store in ranked]


def store_search_by_phone(*, user: User, digits: str, limit: int = 20) -> list[Store]:
    """The owner's live stores with this number, else those whose number contains these digits.

    `digits` may be formatted ("415-555", "+1 415 555 0198"). A full number is
    read with the user's default region and matched exactly first; otherwise at
    least four digits must match somewhere in the stored number.
    """
    wanted = digits_only(digits)
    if len(wanted) < MIN_PHONE_SEARCH_DIGITS:
        raise ValueError(f"Give at least {MIN_PHONE_SEARCH_DIGITS} digits of the phone number to search for.")
    stores = Store.objects.owned_by(user).live()
    exact = stores.filter(phone_e164__in=_exact_forms(digits, wanted, region=user.default_region))
    found = list(exact.order_by("normalized_name", "id")[:limit])
    if found:
        return found
    partial = Q(phone_e164__contains=wanted)
    national = wanted.lstrip("0")
    if national != wanted and len(national) >= MIN_PHONE_SEARCH_DIGITS:
        # "020 7946..." is written with a trunk prefix that E.164 drops.
        partial |= Q(phone_e164__contains=national)
    return list(stores.filter(partial).order_by("normalized_name", "id")[:limit])


def _exact_forms(raw: str, wanted: str, *, region: str) -> set[str]:
    forms = {f"+{wanted}"}
    # Not a full number in the user's region: only the digits as written can match exactly.
    with contextlib.suppress(PhoneError):
        forms.add(parse_phone(raw, region=region).e164)
    return forms


def _name_in_byte_order() -> Combinable:
    # PostgreSQL's default collation may ignore spaces and punctuation; "C"
    # sorts by code point, as SQLite's BINARY does.
    if connection.vendor == "postgresql":
        return Collate(F("normalized_name"), "C")
    return F("normalized_name")


def _set_trigram_thresholds() -> None:
    """Fix the `%` and `%>` thresholds for the current PostgreSQL transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true), "
            "set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(SIMILARITY_THRESHOLD), str(WORD_SIMILARITY_THRESHOLD)],
        )
