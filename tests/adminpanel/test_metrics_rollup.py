"""The hourly rollup counts finished days once and stores them; reports only read.

Today, and a finished day the rollup has not stored yet, are counted live.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from adminpanel.models import MetricsDay
from adminpanel.selectors.metrics import metrics_report
from adminpanel.selectors.percentiles import percentile_cont
from adminpanel.services import metrics_days_store
from adminpanel.tasks import METRICS_ROLLUP_DAYS, metrics_rollup
from conversations.models import Message
from tests.adminpanel.factories import ConversationFactory, MessageFactory

WRITES = ("INSERT", "UPDATE", "DELETE")


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


def test_a_finished_day_stored_by_the_rollup_is_not_counted_again(earlier_and_today, django_assert_max_num_queries):
    earlier = timezone.localdate() - timedelta(days=3)
    metrics_rollup()
    stored = MetricsDay.objects.get(day=earlier)
    assert (stored.messages, stored.latency_histogram) == (1, {"100": 1})

    # The stored row, its histogram and the day's spend: no message is read.
    with django_assert_max_num_queries(4) as queries:
        again = metrics_report(start=earlier, end=earlier)

    assert not any("conversations_message" in q["sql"] for q in queries.captured_queries)
    assert again.days[0].messages == 1
    assert again.days[0].latency_p50_ms == 100


def test_the_report_never_writes_and_counts_days_not_stored_yet_live(earlier_and_today):
    earlier = timezone.localdate() - timedelta(days=3)

    with CaptureQueriesContext(connection) as queries:
        report = metrics_report(start=earlier, end=timezone.localdate())

    assert not [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert not MetricsDay.objects.exists()
    assert (report.days[0].messages, report.days[0].latency_p50_ms) == (1, 100)
    assert (report.days[-1].messages, report.days[-1].latency_p50_ms) == (1, 300)
    assert (report.totals.messages, report.totals.latency_p50_ms) == (2, 200)


def test_a_range_of_stored_and_unstored_days_merges_their_latencies(db):
    earlier = timezone.localdate() - timedelta(days=4)
    conversation = ConversationFactory.create(started_at=timezone.now() - timedelta(days=4))
    reply(conversation, timezone.now() - timedelta(days=4), 100)
    reply(conversation, timezone.now() - timedelta(days=3), 300)
    reply(conversation, timezone.now() - timedelta(days=3), 500)
    unstored = metrics_report(start=earlier, end=earlier + timedelta(days=1))
    metrics_days_store(start=earlier, end=earlier, zone=timezone.get_current_timezone_name())
    cache.clear()

    mixed = metrics_report(start=earlier, end=earlier + timedelta(days=1))

    assert list(MetricsDay.objects.values_list("day", flat=True)) == [earlier]
    assert mixed == unstored
    assert (mixed.totals.messages, mixed.totals.latency_p50_ms) == (3, 300)


def test_the_rollup_stores_each_finished_day_once(earlier_and_today):
    earlier = timezone.localdate() - timedelta(days=3)

    first, second = metrics_rollup(), metrics_rollup()

    # Every finished day of the window, the quiet ones too (their zeros are figures as well).
    assert first == METRICS_ROLLUP_DAYS == MetricsDay.objects.count()
    assert second == 0
    assert MetricsDay.objects.get(day=earlier).messages == 1


def test_storing_a_range_that_reaches_today_stores_only_the_finished_days(earlier_and_today):
    today = timezone.localdate()
    zone = timezone.get_current_timezone_name()

    stored = metrics_days_store(start=today - timedelta(days=3), end=today, zone=zone)

    assert today not in stored
    assert today - timedelta(days=3) in stored
    assert sorted(MetricsDay.objects.values_list("day", flat=True)) == stored


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
    # Cold, nothing stored: finished days and today counted live.
    with django_assert_max_num_queries(12):
        metrics_report(start=start, end=today)
    metrics_rollup()
    for day in range(30):
        for _ in range(5):
            reply(conversation, timezone.now() - timedelta(days=day), 200 + day)
    cache.clear()

    with django_assert_max_num_queries(9):
        report = metrics_report(start=start, end=today)

    # Days already stored keep their counts (in life they are over); today is live.
    assert report.days[-1].messages == 6
    assert report.days[-3].messages == 1


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
    metrics_rollup()

    stored = set(MetricsDay.objects.values_list("day", flat=True))
    assert timezone.localdate() - timedelta(days=3) in stored
    assert timezone.localdate() not in stored
