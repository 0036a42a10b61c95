"""How many chat messages a user may send per minute (`SystemConfig.chat_rate_limit_per_minute`).

Counters live in the Django cache (Redis when configured, so every web
replica counts the same messages) in fixed one-minute windows keyed by user
id. Each message costs model calls, so the limit is checked before the turn
is submitted; a refused message is not stored.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ops.audit import audit_log_write
from ops.config import get_config
from ops.counters import count_hit
from ops.models import AuditLog

if TYPE_CHECKING:
    from accounts.models import User

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class SendAllowance:
    allowed: bool
    limit_per_minute: int
    retry_after_seconds: int

    @property
    def message(self) -> str:
        """What to tell someone whose message was refused."""
        return (
            f"You're sending messages faster than I can answer them (the limit is {self.limit_per_minute} a minute). "
            f"Wait {self.retry_after_seconds} second{'s' if self.retry_after_seconds != 1 else ''}, then send it again."
        )


def chat_send_allow(*, user: User) -> SendAllowance:
    """Count one message from `user`; refused once this minute's allowance is used up.

    The first refusal of a window is audited (one row per window, not one per
    hammering request).
    """
    limit = get_config().chat_rate_limit_per_minute
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    count = count_hit(f"chat-send:{window}:{user.pk}", WINDOW_SECONDS)
    retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    if count == limit + 1:
        audit_log_write(
            event_type="chat_rate_limited",
            source="conversation",
            user=user,
            severity=AuditLog.Severity.WARNING,
            details={"limit_per_minute": limit},
        )
    return SendAllowance(allowed=count <= limit, limit_per_minute=limit, retry_after_seconds=retry_after)
