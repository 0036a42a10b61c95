"""Reads of the store directory and of CSV import jobs, always scoped to one owner."""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q, QuerySet

from directory import postgres_search
from directory.forgiving_search import (
    Candidates,
    CandidateStores,
    Condition,
    forgiven_ranking,
    holding_terms_condition,
    meets,
    near_words_condition,
)
from directory.models import PHONE_SEARCH_MIN_DIGITS, STORE_NAME_MAX_LENGTH, ImportJob, Store
from directory.phones import PhoneError, digits_only, parse_phone
from directory.shop_kinds import GENERIC_WORDS, LEADING_WORDS
from directory.trigrams import (
    MIN_TRIGRAM_QUERY_LENGTH,
    SIMILARITY_THRESHOLD,
    WORD_SIMILARITY_THRESHOLD,
    min_shared_trigrams,
    normalize_name,
    prefix_trigram,
    similarity,
    trigram_set,
    word_similarity,
    word_similarity_bound,
)

if TYPE_CHECKING:
    from accounts.models import User

# SQLite's stand-in for the trigram index (migration 0003): live stores' trigrams, kept by triggers.
TRIGRAM_TABLE = "directory_store_trigram"

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


def stores_live_by_phone(*, user: User, phones_e164: Sequence[str]) -> dict[str, Store]:
    """The owner's live stores that have one of these numbers, by number (one query)."""
    return {store.phone_e164: store for store in Store.objects.owned_by(user).live().filter(phone_e164__in=phones_e164)}


def store_search_by_name(*, user: User, query: str, limit: int = 10) -> list[StoreMatch]:
    """The owner's live stores whose name is like `query`, best match first.

    Fuzzy by pg_trgm's measures: a name matches when its similarity to the query
    reaches 0.3 or the query's word similarity to it reaches 0.6 ("acme hardwre"
    finds "ACME Hardware", "cost" finds "Costco Wholesale"). Queries under three
    characters match names with a word starting with them. Then the forgiving
    pass (directory.forgiving_search) adds names holding every word up to one
    edit ("tagret" finds "Target") and stores of a kind of shop the query names
    ("my vet" finds "Bayview Animal Clinic"). Ties are broken by name (byte
    order) then id, so PostgreSQL and SQLite return the same list.
    """
    needle = name_search_needle(query)
    if not needle or limit <= 0:
        return []
    candidates: CandidateStores
    if connection.vendor != "postgresql":
        found = _search_by_trigram_table(user=user, needle=needle, limit=limit)
        candidates = TrigramTableCandidates(user_id=user.pk)
    else:
        ranked = postgres_search.ranked_stores(user_id=user.pk, needle=needle, limit=limit)
        found = [StoreMatch(store=store, score=score) for store, score in ranked]
        candidates = postgres_search.WordKeyCandidates(user_id=user.pk)
    forgiven = forgiven_ranking(
        needle=needle,
        found=[(match.store.pk, match.store.normalized_name, match.score) for match in found],
        limit=limit,
        stores=candidates,
    )
    if forgiven is None:
        return found
    stores = {match.store.pk: match.store for match in found}
    missing = [store_id for store_id, _, _ in forgiven if store_id not in stores]
    if missing:
        stores.update(Store.objects.owned_by(user).live().in_bulk(missing))
    return [StoreMatch(store=stores[store_id], score=score) for store_id, _, score in forgiven if store_id in stores]


def name_search_needle(query: str) -> str:
    """What a name search compares with the stores' folded names: the query folded, without a leading
    "the" or "my", cut to a name's length; empty when only such words and "place" or "shop" are left."""
    words = normalize_name(query).split()
    while words and words[0] in LEADING_WORDS:
        words = words[1:]
    if all(word in GENERIC_WORDS for word in words):
        return ""
    return " ".join(words)[:STORE_NAME_MAX_LENGTH]


def _search_by_trigram_table(*, user: User, needle: str, limit: int) -> list[StoreMatch]:
    """SQLite: stores sharing enough trigrams with the query, then pg_trgm's scores in Python.

    A name reaches similarity 0.3 (or word similarity 0.6) only if it holds
    at least 30% (60%) of the query's trigrams, so the trigram table narrows
    thousands of stores to the few hundred worth scoring. Those are scored
    best bound first (similarity exact, word similarity at most the share of
    the query's trigrams), stopping once no store left could enter the top
    `limit`. Same matches, scores and order as the SQL on PostgreSQL.
    """
    trigrams = trigram_set(needle)
    prefix_only = len(needle) < MIN_TRIGRAM_QUERY_LENGTH
    # A short query matches names with a word starting with it: "co" needs " co", "j" needs "  j".
    required = prefix_trigram(needle) if prefix_only else None
    min_shared = 1 if prefix_only else min_shared_trigrams(len(trigrams))
    # Only placeholders go into the text; every value is a parameter.
    listed = ", ".join(["%s"] * len(trigrams))
    having = "COUNT(*) >= %s AND MAX(trigram = %s)" if required else "COUNT(*) >= %s"
    sql = (
        "SELECT store.id, store.normalized_name, shared.count FROM ("  # noqa: S608
        f"SELECT store_id, COUNT(*) AS count FROM {TRIGRAM_TABLE} WHERE user_id = %s AND trigram IN ({listed}) "
        f"GROUP BY store_id HAVING {having}) AS shared "
        "JOIN directory_store AS store ON store.id = shared.store_id "
        "WHERE store.user_id = %s AND store.deleted_at IS NULL"
    )
    # No transaction here: on SQLite, with IMMEDIATE transactions, even a read would take the write lock.
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *sorted(trigrams), min_shared, *([required] if required else []), user.pk])
        candidates = cursor.fetchall()
    bounded: list[tuple[float, float, str, int]] = []
    for store_id, name, shared in candidates:
        name_similarity = similarity(name, needle) or 0.0
        word_bound = word_similarity_bound(shared=shared, needle_size=len(trigrams))
        if prefix_only or name_similarity >= SIMILARITY_THRESHOLD or word_bound >= WORD_SIMILARITY_THRESHOLD:
            bounded.append(((name_similarity + word_bound) / 2, name_similarity, name, store_id))
    bounded.sort(key=lambda candidate: candidate[0], reverse=True)
    best: list[tuple[float, str, int]] = []  # (-score, name, id): the ranking's sort key
    for bound, name_similarity, name, store_id in bounded:
        if len(best) >= limit and bound < -best[limit - 1][0]:
            break  # neither this store nor any after it can reach the top `limit` (a tie still could)
        name_word_similarity = word_similarity(needle, name) or 0.0
        if prefix_only or name_similarity >= SIMILARITY_THRESHOLD or name_word_similarity >= WORD_SIMILARITY_THRESHOLD:
            bisect.insort(best, (-((name_similarity + name_word_similarity) / 2), name, store_id))
            del best[limit:]
    stores = Store.objects.owned_by(user).in_bulk([store_id for _, _, store_id in best])
    return [StoreMatch(store=stores[store_id], score=-key) for key, _, store_id in best if store_id in stores]


@dataclass(frozen=True)
class TrigramTableCandidates:
    """SQLite: the forgiving pass's candidates (directory.forgiving_search.CandidateStores) from the
    trigram table, all of them whatever `most` says: they are all read to be counted anyway."""

    user_id: int

    def near_words(self, words: Sequence[str], most: int | None) -> Candidates:
        return _meeting(near_words_condition(words), user_id=self.user_id)

    def holding_terms(self, terms: Sequence[str], most: int | None) -> Candidates:
        return _meeting(holding_terms_condition(terms), user_id=self.user_id)


def _meeting(condition: Condition, *, user_id: int) -> Candidates:
    """(id, folded name) of the owner's live stores whose trigrams meet the condition, by name."""
    sets = [trigrams for clause in condition for trigrams in clause]
    wanted = sorted(frozenset().union(*sets))
    listed = ", ".join(["%s"] * len(wanted))
    sql = (
        "SELECT store.id, store.normalized_name, held.trigrams FROM ("  # noqa: S608 - placeholders only
        f"SELECT store_id, group_concat(trigram, char(1)) AS trigrams FROM {TRIGRAM_TABLE} "
        f"WHERE user_id = %s AND trigram IN ({listed}) GROUP BY store_id HAVING COUNT(*) >= %s) AS held "
        "JOIN directory_store AS store ON store.id = held.store_id "
        "WHERE store.user_id = %s AND store.deleted_at IS NULL ORDER BY store.normalized_name, store.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, *wanted, min(len(trigrams) for trigrams in sets), user_id])
        rows = cursor.fetchall()
    return [(store_id, name) for store_id, name, held in rows if meets(frozenset(held.split("\x01")), condition)]


def store_search_by_phone(*, user: User, digits: str, limit: int = 20) -> list[Store]:
    """The owner's live stores with this number, else those whose number contains these digits.

    `digits` may be formatted ("415-555", "+1 415 555 0198"). A full number is
    read with the user's default region and matched exactly first; otherwise at
    least four digits must match somewhere in the stored number.
    """
    wanted = digits_only(digits)
    if len(wanted) < PHONE_SEARCH_MIN_DIGITS:
        raise ValueError(f"Give at least {PHONE_SEARCH_MIN_DIGITS} digits of the phone number to search for.")
    stores = Store.objects.owned_by(user).live()
    exact = stores.filter(phone_e164__in=_exact_forms(digits, wanted, region=user.default_region))
    found = list(exact.order_by("normalized_name", "id")[:limit])
    if found:
        return found
    partial = Q(phone_e164__contains=wanted)
    national = wanted.lstrip("0")
    if national != wanted and len(national) >= PHONE_SEARCH_MIN_DIGITS:
        # "020 7946..." is written with a trunk prefix that E.164 drops.
        partial |= Q(phone_e164__contains=national)
    return list(stores.filter(partial).order_by("normalized_name", "id")[:limit])


def _exact_forms(raw: str, wanted: str, *, region: str) -> set[str]:
    forms = {f"+{wanted}"}
    # Not a full number in the user's region: only the digits as written can match exactly.
    with contextlib.suppress(PhoneError):
        forms.add(parse_phone(raw, region=region).e164)
    return forms


def import_job_get(*, user: User, job_id: int) -> ImportJob:
    """The owner's import job; raises ImportJob.DoesNotExist for anyone else's."""
    return ImportJob.objects.filter(user=user).get(pk=job_id)


def import_jobs_recent(*, user: User, limit: int = 10) -> list[ImportJob]:
    """The owner's latest jobs, newest first, without their file contents."""
    jobs = ImportJob.objects.filter(user=user).defer("content", "report").order_by("-created_at", "-id")
    return list(jobs[:limit])
