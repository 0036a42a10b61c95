"""Writing the audit log: one append-only row per security-relevant or operational event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ops.models import AuditLog
from ops.nul import nul_replaced
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
        details=_storable(details or {}),
    )


def _storable(value: Any) -> Any:
    """Details as PostgreSQL's JSON takes them: strings (keys too) with any NUL made visible."""
    if isinstance(value, str):
        return nul_replaced(value)
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value
