"""One template per page; htmx requests get just the fragment that changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from adminpanel.access import StaffRequest


def render_page(request: StaffRequest, template: str, context: Mapping[str, Any], *, partial: str) -> HttpResponse:
    """The whole page, or only `partial` of it when htmx asks (history restores get the page)."""
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)


def page_query(request: StaffRequest) -> str:
    """The current filters as a query string without `page`, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def page_number(request: StaffRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1
