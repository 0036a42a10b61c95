"""The audit log viewer: read-only, filtered by event, severity, user and date."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from adminpanel.access import StaffRequest, staff_required
from adminpanel.forms import AuditFilterForm
from adminpanel.selectors.audit import audit_event_types, audit_log_search
from adminpanel.selectors.paging import page_of
from adminpanel.views.partials import page_number, page_query, render_page
from ops.nul import has_nul

PAGE_SIZE = 50
# Listing the distinct event types scans an index of the whole log: keep it a minute.
EVENT_TYPES_CACHE_SECONDS = 60
GIST_LENGTH = 110


def _event_types() -> list[str]:
    types: list[str] | None = cache.get("storebot:audit-event-types")
    if types is None:
        types = audit_event_types()
        cache.set("storebot:audit-event-types", types, EVENT_TYPES_CACHE_SECONDS)
    return types


def _gist(details: object) -> str:
    """The details on one line (keys and short values), for the collapsed row."""
    if not isinstance(details, dict):
        return str(details)[:GIST_LENGTH]
    parts = [f"{key}: {json.dumps(value, default=str)[:40]}" for key, value in details.items()]
    gist = " · ".join(parts)
    return gist if len(gist) <= GIST_LENGTH else gist[: GIST_LENGTH - 1] + "\u2026"


@require_GET
@staff_required
def audit_log(request: StaffRequest) -> HttpResponse:
    event_types = _event_types()
    requested = request.GET.get("event_type", "")
    if requested and requested not in event_types and not has_nul(requested):
        # A type recorded in the last minute is still a valid choice.
        event_types = [*event_types, requested]
    form = AuditFilterForm(request.GET, event_types=event_types)
    page = page_of(audit_log_search(filters=form.filters()), number=page_number(request), size=PAGE_SIZE)
    rows = [
        (event, _gist(event.details), json.dumps(event.details, indent=2, sort_keys=True, default=str))
        for event in page.rows
    ]
    context = {"form": form, "page": page, "rows": rows, "query": page_query(request), "section": "audit"}
    return render_page(request, "adminpanel/audit.html", context, partial="results")
