"""The day's spend, cached so a budget check costs no query, and kept current by every process that spends.

The cache holds whole micro-dollars (cost_usd has six decimal places, so
nothing is rounded): a spend adds to the cached figures with the cache's own
atomic increment, in whichever process recorded it, so with a shared cache
(Redis, which several web processes need anyway) a cap holds the moment the
spend that reaches it is recorded, not a minute later. A figure not cached is
read from the database and cached for `SPEND_CACHE_SECONDS`; a spend recorded
while another process is reading it can be missed until that expires, which
is the only way a cap can still be overshot.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date
from decimal import Decimal

from django.core.cache import cache

SPEND_CACHE_SECONDS = 60
_MICRO = Decimal("0.000001")


def user_spend_key(user_id: int, day: date) -> str:
    return f"storebot:spend:v2:user:{user_id}:{day}"


def global_spend_key(day: date) -> str:
    return f"storebot:spend:v2:global:{day}"


def spend_cached(key: str, compute: Callable[[], Decimal]) -> Decimal:
    """The cached figure, or `compute()` (from the database) cached for next time."""
    micros = cache.get(key)
    if micros is None:
        spent = compute()
        cache.add(key, _to_micros(spent), SPEND_CACHE_SECONDS)
        return spent
    return Decimal(micros) * _MICRO


def spend_add(*, user_id: int, day: date, cost_usd: Decimal) -> None:
    """Add a recorded spend to the cached figures that exist (the others are read fresh when next needed)."""
    micros = _to_micros(cost_usd)
    if micros <= 0:
        return
    for key in (user_spend_key(user_id, day), global_spend_key(day)):
        # Not cached: the next check reads the database, which already holds this spend.
        with suppress(ValueError):
            cache.incr(key, micros)


def _to_micros(amount: Decimal) -> int:
    return int((amount / _MICRO).to_integral_value())
