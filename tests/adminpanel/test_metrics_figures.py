"""The metrics report equals figures worked out by hand on a small fixture."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from adminpanel.selectors.metrics import metrics_report
from conversations.models import Intent, Message
from tests.adminpanel.factories import ConversationFactory, MessageFactory, TokenUsageFactory
from tests.factories import UserFactory

DAY0, DAY1, DAY2, DAY3 = date(2025, 3, 9), date(2025, 3, 10), date(2025, 3, 11), date(2025, 3, 12)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def exchange(conversation, when, *, intent, latency, tool_calls=(), fallback=False, error=False, redacted=False):
    MessageFactory.create(
        conversation=conversation, role=Message.Role.USER, created_at=when, redacted=redacted, intent=intent
    )
    MessageFactory.create(
        conversation=conversation,
        role=Message.Role.ASSISTANT,
        created_at=when,
        latency_ms=latency,
        tool_calls=list(tool_calls),
        fallback_used=fallback,
        is_error=error,
    )


def saved(ok: bool = True) -> dict:
    return {"name": "save_store", "args": {"store_name": "ACME", "phone": "+14155550198"}, "ok": ok, "result": {}}


@pytest.fixture
def usage_fixture(db):
    alice = UserFactory(email="alice@example.com")
    bob = UserFactory(email="bob@example.com")
    a = ConversationFactory.create(user=alice, started_at=at(DAY1, 10))
    exchange(a, at(DAY1, 10), intent="save", latency=100, tool_calls=[saved()])
    exchange(a, at(DAY1, 10, 1), intent="retrieve_by_name", latency=300, fallback=True)
    lookup = {"name": "lookup_by_name", "args": {"query": "costco"}, "ok": True, "result": {}}
    exchange(a, at(DAY1, 10, 2), intent="retrieve_by_name", latency=200, tool_calls=[lookup], redacted=True)
    b = ConversationFactory.create(user=bob, started_at=at(DAY1, 12))
    exchange(b, at(DAY1, 12), intent="multi_save", latency=400, tool_calls=[saved(), saved(), saved(ok=False)])
    c = ConversationFactory.create(user=bob, started_at=at(DAY2, 9))
    exchange(c, at(DAY2, 9), intent="off_scope", latency=1000, error=True)
    exchange(c, at(DAY2, 9, 5), intent="save", latency=50, tool_calls=[saved()])
    # Outside the range: must not count anywhere.
    d = ConversationFactory.create(user=alice, started_at=at(DAY0, 23, 59))
    exchange(d, at(DAY0, 23, 59), intent="save", latency=9999, tool_calls=[saved()], fallback=True, error=True)
    TokenUsageFactory.create(
        user=alice, date=DAY1, requests=6, tokens_in=1000, tokens_out=200, cost_usd=Decimal("0.012")
    )
    TokenUsageFactory.create(user=bob, date=DAY1, requests=2, tokens_in=500, tokens_out=100, cost_usd=Decimal("0.006"))
    TokenUsageFactory.create(user=bob, date=DAY2, requests=4, tokens_in=800, tokens_out=160, cost_usd=Decimal("0.01"))
    TokenUsageFactory.create(user=alice, date=DAY0, requests=9, tokens_in=9, tokens_out=9, cost_usd=Decimal("9"))


def test_each_day_counts_its_own_conversations_messages_and_users(usage_fixture):
    report = metrics_report(start=DAY1, end=DAY3)

    assert [d.day for d in report.days] == [DAY1, DAY2, DAY3]
    assert [(d.conversations, d.messages, d.user_messages, d.active_users) for d in report.days] == [
        (2, 8, 4, 2),
        (1, 4, 2, 1),
        (0, 0, 0, 0),
    ]


def test_saves_and_lookups_count_successful_tool_calls_only(usage_fixture):
    report = metrics_report(start=DAY1, end=DAY3)

    assert [(d.saves, d.lookups) for d in report.days] == [(3, 1), (1, 0), (0, 0)]
    assert (report.totals.saves, report.totals.lookups) == (4, 1)


def test_fallbacks_and_errors_per_day(usage_fixture):
    report = metrics_report(start=DAY1, end=DAY3)

    assert [(d.fallbacks, d.errors) for d in report.days] == [(1, 0), (0, 1), (0, 0)]


def test_latency_percentiles_interpolate_like_percentile_cont(usage_fixture):
    report = metrics_report(start=DAY1, end=DAY3)

    # Day 1 latencies 100, 200, 300, 400; day 2: 50, 1000; the period: all six.
    assert report.days[0].latency_p50_ms == pytest.approx(250)
    assert report.days[0].latency_p95_ms == pytest.approx(385)
    assert report.days[1].latency_p50_ms == pytest.approx(525)
    assert report.days[1].latency_p95_ms == pytest.approx(952.5)
    assert report.days[2].latency_p50_ms is None
    assert report.totals.latency_p50_ms == pytest.approx(250)
    assert report.totals.latency_p95_ms == pytest.approx(850)


def test_tokens_and_cost_come_from_the_daily_usage_accounting(usage_fixture):
    report = metrics_report(start=DAY1, end=DAY3)

    assert [(d.tokens_in, d.tokens_out, d.cost_usd) for d in report.days] == [
        (1500, 300, Decimal("0.018")),
        (800, 160, Decimal("0.01")),
        (0, 0, Decimal(0)),
    ]
    assert report.totals.model_requests == 12
    assert report.totals.tokens == 2760
    assert report.totals.cost_usd == Decimal("0.028")


def test_period_totals_count_distinct_users_once(usage_fixture):
    report = metrics_report(start=DAY1, end=DAY3)

    assert report.totals.conversations == 3
    assert report.totals.messages == 12
    assert report.totals.active_users == 2


def test_intent_distribution_is_sorted_by_frequency(usage_fixture):
    report = metrics_report(start=DAY1, end=DAY3)

    shares = {share.intent: (share.count, round(share.percent, 1)) for share in report.intents if share.count}
    assert shares == {
        "save": (2, 33.3),
        "retrieve_by_name": (2, 33.3),
        "multi_save": (1, 16.7),
        "off_scope": (1, 16.7),
    }
    assert [share.intent for share in report.intents[:2]] == ["retrieve_by_name", "save"]
    assert len(report.intents) == len(Intent.values)  # every intent, with a zero where none was seen


def test_an_empty_range_reports_zeros_and_no_latency(db):
    report = metrics_report(start=DAY1, end=DAY2)

    assert report.totals.messages == 0
    assert report.totals.latency_p95_ms is None
    assert [d.conversations for d in report.days] == [0, 0]


def test_an_end_before_the_start_is_refused(db):
    with pytest.raises(ValueError, match="before the start"):
        metrics_report(start=DAY2, end=DAY1)


def test_active_users_are_people_with_model_requests_that_day(usage_fixture):
    report = metrics_report(start=DAY1, end=DAY3)

    assert [d.active_users for d in report.days] == [2, 1, 0]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL's own percentile_cont")
def test_latency_percentiles_equal_postgres_percentile_cont(db):
    conversation = ConversationFactory.create(started_at=at(DAY1, 8))
    for n in range(57):
        MessageFactory.create(
            conversation=conversation,
            role=Message.Role.ASSISTANT,
            created_at=at(DAY1 + timedelta(days=n % 3), 9),
            latency_ms=(n * 7919) % 2750 + 120,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), "
            "percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FROM conversations_message"
        )
        expected = cursor.fetchone()

    report = metrics_report(start=DAY1, end=DAY3)

    assert (report.totals.latency_p50_ms, report.totals.latency_p95_ms) == pytest.approx(expected)
