"""Finished days are counted once and kept; today is always counted live."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from adminpanel.models import MetricsDay
from adminpanel.selectors.metrics import metrics_report
from adminpanel.selectors.percentiles import percentile_cont
from conversations.models import Message
from tests.adminpanel.factories import ConversationFactory, MessageFactory


def reply(conversation, when, latency):
    return MessageFactory.create(
        conversation=conversation, role=Message.Role.ASSISTANT, created_at=when, latency_ms=latency
    )


@pytest.fixture
def earlier_and_today(db):
    """A reply three days ago (a finished day, whatever the time now) and one today."""
    now = timezone.now()
    conversation = ConversationFactory.create(started_at=now - timedelta(days=3))
    reply(conversation, now - timedelta(days=3), 100)
    reply(conversation, now, 300)
    return conversation


def test_a_finished_day_is_stored_and_not_counted_again(earlier_and_today, django_assert_max_num_queries):
    earlier = timezone.localdate() - timedelta(days=3)
    metrics_report(start=earlier, end=earlier)
    stored = MetricsDay.objects.get(day=earlier)
    assert (stored.messages, stored.latency_histogram) == (1, {"100": 1})
    cache.clear()

    # The stored row, its histogram and the day's spend: no message is read.
    with django_assert_max_num_queries(4) as queries:
        again = metrics_report(start=earlier, end=earlier)

    assert not any("conversations_message" in q["sql"] for q in queries.captured_queries)
    assert again.days[0].messages == 1
    assert again.days[0].latency_p50_ms == 100


def test_a_finished_range_is_read_from_the_cache_after_the_first_report(earlier_and_today, django_assert_num_queries):
    earlier = timezone.localdate() - timedelta(days=3)
    metrics_report(start=earlier, end=earlier)

    with django_assert_num_queries(0):
        again = metrics_report(start=earlier, end=earlier)

    assert again.totals.messages == 1


def test_today_is_counted_live_on_every_report(earlier_and_today):
    today = timezone.localdate()
    first = metrics_report(start=today, end=today)
    reply(earlier_and_today, timezone.now(), 500)

    second = metrics_report(start=today, end=today)

    assert (first.days[0].messages, second.days[0].messages) == (1, 2)
    assert second.days[0].latency_p50_ms == 400
    assert not MetricsDay.objects.filter(day=today).exists()


def test_the_report_query_count_does_not_grow_with_rows(db, django_assert_max_num_queries):
    today = timezone.localdate()
    start = today - timedelta(days=29)
    conversation = ConversationFactory.create()
    for day in range(30):
        reply(conversation, timezone.now() - timedelta(days=day), 100 + day)
    # Cold: finished days counted and stored, today counted live.
    with django_assert_max_num_queries(13):
        metrics_report(start=start, end=today)
    for day in range(30):
        for _ in range(5):
            reply(conversation, timezone.now() - timedelta(days=day), 200 + day)
    cache.clear()

    with django_assert_max_num_queries(9):
        report = metrics_report(start=start, end=today)

    # Days already stored keep their counts (in life they are over); today is live.
    assert report.days[-1].messages == 6


@pytest.mark.parametrize(
    ("histogram", "fraction", "expected"),
    [
        ({100: 1, 200: 1, 300: 1, 400: 1}, 0.5, 250),
        ({100: 1, 200: 1, 300: 1, 400: 1}, 0.95, 385),
        ({7: 5}, 0.95, 7),
        ({1: 1, 10: 3}, 0.5, 10),
        ({1: 2, 10: 2}, 0.5, 5.5),
    ],
)
def test_percentiles_match_postgres_percentile_cont(histogram, fraction, expected):
    assert percentile_cont(histogram, fraction) == pytest.approx(expected)


def test_no_replies_have_no_percentile():
    assert percentile_cont({}, 0.5) is None


def test_the_scheduled_rollup_stores_finished_days_but_never_today(earlier_and_today):
    from adminpanel.tasks import metrics_rollup

    metrics_rollup()

    stored = set(MetricsDay.objects.values_list("day", flat=True))
    assert timezone.localdate() - timedelta(days=3) in stored
    assert timezone.localdate() not in stored
