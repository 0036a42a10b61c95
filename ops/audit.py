"""Writing the audit log: one append-only row per security-relevant or operational event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ops.models import AuditLog
from ops.request_context import get_request_id

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def audit_log_write(
    *,
    event_type: str,
    source: str,
    user: AbstractBaseUser | None = None,
    severity: str = AuditLog.Severity.INFO,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit event, stamped with the current request id."""
    return AuditLog.objects.create(
        event_type=event_type,
        severity=severity,
        source=source,
        # By id: the kernel knows users only as Django's abstract user.
        user_id=user.pk if user is not None else None,
        request_id=get_request_id(),
        details=details or {},
    )
