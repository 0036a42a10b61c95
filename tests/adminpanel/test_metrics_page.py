"""The metrics page: charts drawn from the data, a chosen range, a fixed query count."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import Message
from tests.adminpanel.factories import ConversationFactory, MessageFactory, TokenUsageFactory
from tests.factories import UserFactory

METRICS = reverse("adminpanel:metrics")


def activity(days: int, per_day: int) -> None:
    person = UserFactory()
    now = timezone.now()
    for day in range(days):
        for n in range(per_day):
            moment = now - timedelta(days=day, minutes=n)
            conversation = ConversationFactory.create(user=person, started_at=moment)
            MessageFactory.create(conversation=conversation, role=Message.Role.USER, intent="save", created_at=moment)
            MessageFactory.create(
                conversation=conversation,
                role=Message.Role.ASSISTANT,
                created_at=moment,
                latency_ms=500 + n,
                tool_calls=[{"name": "save_store", "ok": True}],
            )
        TokenUsageFactory.create(
            user=person, date=timezone.localdate(now - timedelta(days=day)), requests=per_day, cost_usd=Decimal("0.5")
        )


def test_the_page_draws_every_chart_from_the_data(staff_client, db):
    activity(days=3, per_day=2)

    html = staff_client.get(METRICS).content.decode()

    assert html.count('<svg class="chart"') == 8
    assert len(re.findall(r'<rect class="bar series-1"', html)) >= 3
    assert 'class="line series-1"' in html
    assert "6 messages" not in html  # 6 conversations, 12 messages
    assert "12 messages" in html
    assert "Stores saved" in html
    assert "$1.50" in html


def test_the_default_range_is_the_last_30_days(staff_client, db):
    html = staff_client.get(METRICS).content.decode()

    today = timezone.localdate()
    assert f'value="{(today - timedelta(days=29)):%Y-%m-%d}"' in html
    assert f'value="{today:%Y-%m-%d}"' in html
    assert "· 30 days" in html


def test_a_chosen_range_is_used_and_htmx_gets_only_the_report(staff_client, db):
    activity(days=10, per_day=1)
    today = timezone.localdate()

    response = staff_client.get(
        METRICS, {"start": f"{today - timedelta(days=6):%Y-%m-%d}", "end": f"{today:%Y-%m-%d}"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report"')
    assert "· 7 days" in html
    assert "7 messages" not in html
    assert "14 messages" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2025-03-10", "end": "2025-03-01"}, "The end date is before the start date."),
        ({"start": "2020-01-01", "end": "2025-01-01"}, "Choose at most 366 days."),
        ({"start": "yesterday"}, "Enter a valid date."),
    ],
)
def test_a_bad_range_is_explained_and_the_default_shown(staff_client, db, query, message):
    html = staff_client.get(METRICS, query).content.decode()

    assert message in html
    assert "· 30 days" in html


def test_the_page_query_count_does_not_grow_with_rows(staff_client, db, django_assert_max_num_queries):
    activity(days=2, per_day=1)
    with django_assert_max_num_queries(50) as few:
        staff_client.get(METRICS)
    baseline = len(few.captured_queries)  # read now: the next request clears the query log
    activity(days=30, per_day=4)
    yesterday = timezone.localdate() - timedelta(days=1)
    staff_client.get(METRICS, {"start": f"{yesterday:%Y-%m-%d}", "end": f"{yesterday:%Y-%m-%d}"})

    # A page view only reads: the hourly rollup stores finished days, not the page.
    with django_assert_max_num_queries(baseline) as page:
        response = staff_client.get(METRICS)

    assert response.status_code == 200
    assert not [q["sql"] for q in page.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
