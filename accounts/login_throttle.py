"""Login rate limiting: attempts per minute per (IP, email) and per IP.

Every form that checks the login password counts here (the login page, and
Settings' passphrase form, which asks for it), so the limit holds however the
password is guessed. Counters live in the Django cache (Redis when configured,
so every web replica shares them) in fixed one-minute windows.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest

from ops.audit import audit_log_write
from ops.config import get_config
from ops.models import AuditLog

WINDOW_SECONDS = 60
# Many people can share one address (an office behind NAT), so the per-IP cap
# is a multiple of the per-account cap: one person's typos do not lock out
# colleagues, while one address cycling through many emails is still stopped.
PER_IP_MULTIPLIER = 5


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted
    # proxy rewrites it (daphne's --proxy-headers does that into REMOTE_ADDR).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def login_attempt_allowed(*, ip: str, email: str, form: str = "login") -> bool:
    """Count one attempt at the login password; False when this minute's limit is already used up.

    `form` names where the password was typed ("login", "passphrase_settings").
    The first refused attempt of a window is audited (one row per window,
    not one per hammering request).
    """
    per_account = get_config().login_rate_limit_per_minute
    per_ip = per_account * PER_IP_MULTIPLIER
    window = int(time.time() // WINDOW_SECONDS)
    email = email.strip().lower()
    account_count = _count_hit(f"login-throttle:{window}:account:{_digest(ip, email)}")
    ip_count = _count_hit(f"login-throttle:{window}:ip:{_digest(ip)}")
    if account_count <= per_account and ip_count <= per_ip:
        return True
    if account_count == per_account + 1 or ip_count == per_ip + 1:
        audit_log_write(
            event_type="login_rate_limited",
            source="accounts",
            severity=AuditLog.Severity.WARNING,
            details={
                "ip": ip,
                "email": email[:254],
                "scope": "ip" if ip_count > per_ip else "account",
                "limit_per_minute": per_account,
                "form": form,
            },
        )
    return False


def _count_hit(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): this is the window's first hit.
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        return 1


def _digest(*parts: str) -> str:
    # Hashed so keys stay short and safe for every cache backend (no spaces, no PII).
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
