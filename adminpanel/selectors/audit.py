"""The audit log, filtered for the viewer (read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from adminpanel.selectors.dates import aware_midnight, day_after
from ops.models import AuditLog


@dataclass(frozen=True)
class AuditFilters:
    event_type: str = ""
    severity: str = ""
    # Matches the acting user's email, or the account a staff action was about.
    user_email: str = ""
    start: date | None = None
    end: date | None = None


def audit_event_types() -> list[str]:
    """Every event type recorded so far, for the filter's choices."""
    return list(AuditLog.objects.order_by("event_type").values_list("event_type", flat=True).distinct())


def audit_log_search(*, filters: AuditFilters) -> QuerySet[AuditLog]:
    events = AuditLog.objects.select_related("user").order_by("-created_at", "-id")
    if filters.event_type:
        events = events.filter(event_type=filters.event_type)
    if filters.severity:
        events = events.filter(severity=filters.severity)
    if filters.user_email:
        events = events.filter(
            Q(user__email__icontains=filters.user_email) | Q(details__target_email__icontains=filters.user_email)
        )
    if filters.start:
        events = events.filter(created_at__gte=aware_midnight(filters.start))
    if filters.end:
        events = events.filter(created_at__lt=day_after(filters.end))
    return events
