"""Throttles for the forms anyone can post: the login password, and sign-up.

Every form that checks the login password counts here (the login page, Django
admin's login page, the password change page, and Settings' passphrase form,
which asks for it), so the limit holds however the password is guessed. Two counters, one-minute windows:

- per account (the normalised email), whoever asks: changing address gives an
  attacker no more guesses at one account;
- per client address: one address cycling through many emails is stopped.

Sign-up is counted per client address, in one-hour windows.

Counters live in the Django cache (Redis when configured, so every web replica
shares them). The client address is `client_ip`: see there what is trusted.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.http import HttpRequest

from ops.audit import audit_log_write
from ops.config import get_config
from ops.counters import count_hit
from ops.models import AuditLog

WINDOW_SECONDS = 60
# Many people can share one address (an office behind NAT), so the per-address cap
# is a multiple of the per-account cap: one person's typos do not lock out
# colleagues, while one address cycling through many emails is still stopped.
PER_IP_MULTIPLIER = 5
SIGNUP_WINDOW_SECONDS = 3600
SIGNUPS_PER_HOUR_PER_ADDRESS = 10
# One IPv6 subscriber usually holds a whole /64: counting single addresses would give them 2**64 counters.
IPV6_PREFIX = 64


def client_ip(request: HttpRequest) -> str:
    """The address the throttles count against, never one a client chose.

    With `TRUSTED_PROXY_COUNT = n` (the reverse proxies in front of daphne, each
    appending the address it saw to X-Forwarded-For), the address is the n-th
    entry from the right of that header: the one our own outermost proxy wrote.
    Entries to its left are whatever the client sent and are ignored. REMOTE_ADDR
    is ignored too when the header is present, because daphne's `--proxy-headers`
    copies the header's leftmost, client-chosen entry there. Without the header
    (or with `TRUSTED_PROXY_COUNT = 0`, nothing in front) it is REMOTE_ADDR.

    So a spoofed X-Forwarded-For only works for someone who can reach daphne
    without passing the proxy: keep the web port private to the proxy.
    An IPv6 address counts as its /64.
    """
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies and forwarded:
        address = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _address_key(address)


def _address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        # Not an address (a proxy wrote something odd): still one key, kept short.
        return address[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def login_attempt_allowed(*, ip: str, email: str, form: str = "login") -> bool:
    """Count one attempt at the login password; False when this minute's limit is already used up.

    `form` names where the password was typed ("login", "admin", "password_change", "passphrase_settings").
    The first refused attempt of a window is audited (one row per window,
    not one per hammering request).
    """
    per_account = get_config().login_rate_limit_per_minute
    per_ip = per_account * PER_IP_MULTIPLIER
    window = int(time.time() // WINDOW_SECONDS)
    email = email.strip().lower()
    account_count = count_hit(f"login-throttle:{window}:account:{_digest(email)}", WINDOW_SECONDS)
    ip_count = count_hit(f"login-throttle:{window}:ip:{_digest(ip)}", WINDOW_SECONDS)
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


def signup_attempt_allowed(*, ip: str) -> bool:
    """Count one sign-up from `ip`; False when this hour's limit is used up (the first refusal is audited)."""
    window = int(time.time() // SIGNUP_WINDOW_SECONDS)
    count = count_hit(f"signup-throttle:{window}:ip:{_digest(ip)}", SIGNUP_WINDOW_SECONDS)
    if count == SIGNUPS_PER_HOUR_PER_ADDRESS + 1:
        audit_log_write(
            event_type="signup_rate_limited",
            source="accounts",
            severity=AuditLog.Severity.WARNING,
            details={"ip": ip, "limit_per_hour": SIGNUPS_PER_HOUR_PER_ADDRESS},
        )
    return count <= SIGNUPS_PER_HOUR_PER_ADDRESS


def _digest(*parts: str) -> str:
    # Hashed so keys stay short and safe for every cache backend (no spaces, no PII).
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
