"""The audit log viewer filters by event, severity, user and date, and changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from adminpanel.selectors.audit import AuditFilters, audit_log_search
from ops.models import AuditLog

AUDIT = reverse("adminpanel:audit")


def event(event_type, *, user=None, severity="info", when=date(2025, 5, 1), **details):
    return AuditLog.objects.create(
        event_type=event_type,
        severity=severity,
        source="test",
        user=user,
        details=details,
        created_at=datetime.combine(when, time(12), tzinfo=UTC),
    )


@pytest.fixture
def log(db, user, other_user, staff_user):
    return {
        "lockout": event("passphrase_lockout", user=user, severity="warning", when=date(2025, 5, 1)),
        "budget": event("budget_exceeded", user=other_user, severity="warning", when=date(2025, 5, 2)),
        "reset": event(
            "passphrase_reset",
            user=staff_user,
            when=date(2025, 5, 3),
            target_email="alice@example.com",
            target_user_id=1,
        ),
        "boot": event("config_changed", severity="info", when=date(2025, 5, 4)),
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["boot", "reset", "budget", "lockout"]),
        ({"event_type": "budget_exceeded"}, ["budget"]),
        ({"severity": "warning"}, ["budget", "lockout"]),
        ({"user_email": "alice"}, ["reset", "lockout"]),
        ({"start": date(2025, 5, 2), "end": date(2025, 5, 3)}, ["reset", "budget"]),
        ({"user_email": "alice", "severity": "info"}, ["reset"]),
    ],
)
def test_filters_narrow_the_log(log, filters, expected):
    assert list(audit_log_search(filters=AuditFilters(**filters))) == [log[name] for name in expected]


def test_the_page_filters_from_the_query_string(staff_client, log):
    html = staff_client.get(AUDIT, {"event_type": "passphrase_lockout"}).content.decode()

    assert "<code>passphrase_lockout</code>" in html
    assert "<code>budget_exceeded</code>" not in html
    assert '<option value="budget_exceeded">' in html


def test_htmx_gets_only_the_results(staff_client, log):
    html = staff_client.get(AUDIT, {"severity": "warning"}, HTTP_HX_REQUEST="true").content.decode()

    assert html.lstrip().startswith('<section id="results"')
    assert html.count("<tr>") == 3  # header + two events


def test_details_are_shown_escaped(staff_client, db, user):
    event("odd", user=user, note="<img src=x onerror=alert(1)>")

    html = staff_client.get(AUDIT).content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_viewer_is_read_only(staff_client, log):
    assert staff_client.post(AUDIT, {"event_type": "x"}).status_code == 405
    assert AuditLog.objects.count() == 4


def test_the_django_admin_cannot_add_change_or_delete_audit_events(staff_user):
    request = RequestFactory().get("/admin/")
    request.user = staff_user
    audit_admin = site._registry[AuditLog]

    assert not audit_admin.has_add_permission(request)
    assert not audit_admin.has_change_permission(request)
    assert not audit_admin.has_delete_permission(request)


@pytest.mark.parametrize("field", ["event_type", "user"])
def test_a_nul_in_a_filter_shows_the_whole_log_not_a_server_error(staff_client, log, field):
    response = staff_client.get(reverse("adminpanel:audit"), {field: "login\x00"})

    assert response.status_code == 200
