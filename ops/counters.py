"""Hit counters in the Django cache (Redis when configured, so every web replica counts the same hits).

The rate limits (chat messages, CSV uploads, logins, sign-ups) count hits in fixed windows with this one
function.
"""

from __future__ import annotations

from django.core.cache import cache


def count_hit(key: str, window_seconds: int) -> int:
    """Count one hit under `key` (a key of one window) and return the window's hits so far.

    add() then incr() is atomic on Redis and on the local-memory cache alike. The key is kept past its window
    so a slow clock between replicas cannot reopen it early.
    """
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        return int(cache.incr(key))
    except ValueError:
        # The key expired between add() and incr(): this is the window's first hit.
        cache.set(key, 1, timeout=window_seconds * 2)
        return 1
