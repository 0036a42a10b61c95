"""User management: every action is audited, staff cannot lock themselves out,
and usage comes from the daily accounting."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from adminpanel.selectors.users import user_list
from ops.models import AuditLog
from tests.adminpanel.factories import TokenUsageFactory
from tests.factories import UserFactory


def action(name: str, target) -> str:
    return reverse(f"adminpanel:{name}", kwargs={"user_id": target.pk})


def audit_of(event_type: str) -> AuditLog:
    return AuditLog.objects.get(event_type=event_type)


def test_deactivating_signs_the_person_out_and_is_audited(staff_client, staff_user, user):
    their_browser = Client()
    their_browser.force_login(user)

    response = staff_client.post(action("user_active", user), {"active": "0"}, follow=True)

    user.refresh_from_db()
    assert not user.is_active
    assert "alice@example.com is deactivated." in response.content.decode()
    assert their_browser.get("/accounts/settings/").status_code == 302
    event = audit_of("user_deactivated")
    assert (event.user, event.severity, event.details["target_email"]) == (staff_user, "warning", "alice@example.com")


def test_reactivating_is_audited(staff_client, user):
    user.is_active = False
    user.save()

    staff_client.post(action("user_active", user), {"active": "1"})

    user.refresh_from_db()
    assert user.is_active
    assert audit_of("user_activated").details["target_user_id"] == user.pk


def test_granting_and_revoking_staff_are_audited(staff_client, user):
    staff_client.post(action("user_staff", user), {"staff": "1"})
    user.refresh_from_db()
    assert user.is_staff

    staff_client.post(action("user_staff", user), {"staff": "0"})
    user.refresh_from_db()

    assert not user.is_staff
    assert [e.event_type for e in AuditLog.objects.order_by("id")] == ["staff_granted", "staff_revoked"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("user_active", {"active": "0"}, "You cannot deactivate your own account."),
        ("user_staff", {"staff": "0"}, "You cannot revoke your own staff access."),
    ],
)
def test_staff_cannot_lock_themselves_out(staff_client, staff_user, name, data, message):
    response = staff_client.post(action(name, staff_user), data, follow=True)

    staff_user.refresh_from_db()
    assert (staff_user.is_active, staff_user.is_staff) == (True, True)
    assert message in response.content.decode()
    assert not AuditLog.objects.exists()


def test_resetting_a_passphrase_clears_it_and_is_audited(staff_client, user):
    assert user.has_passphrase

    staff_client.post(action("user_passphrase_reset", user))

    user.refresh_from_db()
    assert not user.has_passphrase
    assert not user.check_passphrase("open sesame")
    assert audit_of("passphrase_reset").details == {
        "target_user_id": user.pk,
        "target_email": "alice@example.com",
        "had_passphrase": True,
    }


def test_a_budget_is_set_then_cleared_with_before_and_after_audited(staff_client, user):
    staff_client.post(action("user_budget", user), {"daily_budget_usd": "2.5"})
    user.refresh_from_db()
    assert user.daily_budget_usd == Decimal("2.5")

    staff_client.post(action("user_budget", user), {"daily_budget_usd": ""})
    user.refresh_from_db()

    assert user.daily_budget_usd is None
    changes = [(e.details["before"], e.details["after"]) for e in AuditLog.objects.order_by("id")]
    assert changes == [(None, "2.5"), ("2.5000", None)]


@pytest.mark.parametrize("value", ["-1", "abc", "123456789"])
def test_a_bad_budget_is_refused_with_a_reason(staff_client, user, value):
    response = staff_client.post(action("user_budget", user), {"daily_budget_usd": value}, follow=True)

    user.refresh_from_db()
    assert user.daily_budget_usd is None
    assert "Budget not changed:" in response.content.decode()
    assert not AuditLog.objects.exists()


def test_actions_on_an_unknown_user_are_not_found(staff_client, db):
    assert (
        staff_client.post(reverse("adminpanel:user_staff", kwargs={"user_id": 999999}), {"staff": "1"}).status_code
        == 404
    )


def test_usage_today_and_this_month_come_from_the_daily_accounting(db, user, other_user):
    today = timezone.localdate()
    TokenUsageFactory.create(user=user, date=today, tokens_in=100, tokens_out=20, cost_usd=Decimal("0.25"))
    if today.day > 1:
        TokenUsageFactory.create(
            user=user, date=today - timedelta(days=1), tokens_in=50, tokens_out=5, cost_usd=Decimal("1")
        )
    TokenUsageFactory.create(user=user, date=today.replace(day=1) - timedelta(days=1), cost_usd=Decimal("9"))
    TokenUsageFactory.create(user=other_user, date=today, cost_usd=Decimal("7"))

    alice = user_list(search="alice", today=today).get()

    assert (alice.today_cost, alice.today_tokens) == (Decimal("0.25"), 120)
    expected_month = (Decimal("1.25"), 175) if today.day > 1 else (Decimal("0.25"), 120)
    assert (alice.month_cost, alice.month_tokens) == expected_month


def test_the_list_searches_by_email_in_one_query(db, user, other_user, django_assert_num_queries):
    UserFactory.create_batch(5)

    with django_assert_num_queries(1):
        found = list(
            user_list(search="BOB", today=timezone.localdate()).values_list("email", "today_cost", "month_tokens")
        )

    assert found == [("bob@example.com", Decimal(0), 0)]


def test_the_users_page_lists_and_links_each_person(staff_client, staff_user, user):
    html = staff_client.get(reverse("adminpanel:users"), {"q": "alice"}).content.decode()

    assert reverse("adminpanel:user", kwargs={"user_id": user.pk}) in html
    assert reverse("adminpanel:user", kwargs={"user_id": staff_user.pk}) not in html


def test_a_persons_page_shows_their_activity(staff_client, user):
    TokenUsageFactory.create(user=user, date=timezone.localdate(), cost_usd=Decimal("0.25"), tokens_in=10, tokens_out=2)

    html = staff_client.get(reverse("adminpanel:user", kwargs={"user_id": user.pk})).content.decode()

    assert "$0.25" in html
    assert "12 tokens" in html
    assert '<svg class="chart"' in html
