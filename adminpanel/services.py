from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adminpanel.models import AuditLog
from storebot.request_context import get_request_id

if TYPE_CHECKING:
    from accounts.models import User


def audit_log_write(
    *,
    event_type: str,
    source: str,
    user: User | None = None,
    severity: str = AuditLog.Severity.INFO,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit event, stamped with the current request id."""
    return AuditLog.objects.create(
        event_type=event_type,
        severity=severity,
        source=source,
        user=user,
        request_id=get_request_id(),
        details=details or {},
    )
