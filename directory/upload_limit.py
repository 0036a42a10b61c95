"""How many CSV files a user may upload an hour (issue 14, D7).

Each upload costs a worker a parse and an import, so a script posting files
in a loop would keep the workers busy for everyone. Counters live in the
Django cache (Redis when configured, so every web replica counts the same
uploads) in fixed one-hour windows keyed by user id, with the shared counter
(ops/counters.py) that chat messages and logins use. A
refused upload is not stored.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ops.audit import audit_log_write
from ops.counters import count_hit
from ops.models import AuditLog

if TYPE_CHECKING:
    from accounts.models import User

UPLOADS_PER_HOUR = 20
WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class UploadAllowance:
    allowed: bool
    limit_per_hour: int
    retry_after_seconds: int

    @property
    def message(self) -> str:
        """What to tell someone whose upload was refused."""
        minutes = math.ceil(self.retry_after_seconds / 60)
        return (
            f"You have uploaded {self.limit_per_hour} files this hour, the most an hour allows. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )


def import_upload_allow(*, user: User) -> UploadAllowance:
    """Count one upload from `user`; refused once this hour's allowance is used up.

    The first refusal of a window is audited (one row per window).
    """
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    count = count_hit(f"csv-upload:{window}:{user.pk}", WINDOW_SECONDS)
    retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    if count == UPLOADS_PER_HOUR + 1:
        audit_log_write(
            event_type="import_rate_limited",
            source="directory",
            user=user,
            severity=AuditLog.Severity.WARNING,
            details={"limit_per_hour": UPLOADS_PER_HOUR},
        )
    return UploadAllowance(
        allowed=count <= UPLOADS_PER_HOUR, limit_per_hour=UPLOADS_PER_HOUR, retry_after_seconds=retry_after
    )
