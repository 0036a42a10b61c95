"""The conversation inspector: filters, one query for the list, and a transcript
that shows everything but a passphrase."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from adminpanel.selectors.inspector import InspectorFilters, conversation_inspector_list
from adminpanel.selectors.paging import page_of
from conversations.models import ConversationState, ConversationSummary, Message
from tests.adminpanel.factories import ConversationFactory, MessageFactory
from tests.factories import UserFactory

LIST = reverse("adminpanel:conversations")


def conversation_with(user, *, started_at, intent="save", error=False, fallback=False, state="IDLE"):
    conversation = ConversationFactory.create(user=user, started_at=started_at, state=state, title=f"{intent} talk")
    MessageFactory.create(conversation=conversation, role=Message.Role.USER, intent=intent, created_at=started_at)
    MessageFactory.create(
        conversation=conversation,
        role=Message.Role.ASSISTANT,
        created_at=started_at + timedelta(seconds=1),
        tokens_in=100,
        tokens_out=20,
        cost_usd=Decimal("0.0012"),
        is_error=error,
        fallback_used=fallback,
    )
    return conversation


@pytest.fixture
def spread(db):
    alice = UserFactory(email="alice@example.com")
    bob = UserFactory(email="bob@example.com")
    return {
        "saved": conversation_with(alice, started_at=datetime(2025, 5, 1, 9, tzinfo=UTC)),
        "failed": conversation_with(
            bob, started_at=datetime(2025, 5, 2, 9, tzinfo=UTC), intent="off_scope", error=True
        ),
        "fell_back": conversation_with(
            bob, started_at=datetime(2025, 5, 3, 9, tzinfo=UTC), intent="retrieve_by_name", fallback=True
        ),
        "ended": conversation_with(
            alice,
            started_at=datetime(2025, 5, 4, 9, tzinfo=UTC),
            intent="terminate",
            state=ConversationState.TERMINATED,
        ),
    }


def found(**filters) -> list[int]:
    return [c.pk for c in conversation_inspector_list(filters=InspectorFilters(**filters))]


def test_the_list_is_newest_first_with_each_conversations_figures(spread):
    rows = list(conversation_inspector_list(filters=InspectorFilters()))

    assert [c.pk for c in rows] == [spread[k].pk for k in ("ended", "fell_back", "failed", "saved")]
    failed = rows[2]
    figures = (failed.message_count, failed.tokens, failed.cost, failed.error_count, failed.fallback_count)
    assert figures == (2, 120, Decimal("0.0012"), 1, 0)
    assert failed.last_intent == "off_scope"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"user_email": "bob@"}, ["fell_back", "failed"]),
        ({"state": "TERMINATED"}, ["ended"]),
        ({"intent": "retrieve_by_name"}, ["fell_back"]),
        ({"has_error": True}, ["failed"]),
        ({"has_fallback": True}, ["fell_back"]),
        ({"start": datetime(2025, 5, 2).date(), "end": datetime(2025, 5, 3).date()}, ["fell_back", "failed"]),
        ({"user_email": "alice", "intent": "save"}, ["saved"]),
    ],
)
def test_each_filter_narrows_the_list(spread, filters, expected):
    assert found(**filters) == [spread[name].pk for name in expected]


def test_a_page_of_the_list_is_one_query(spread, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_of(conversation_inspector_list(filters=InspectorFilters(has_error=True)), number=1, size=25)
        [(c.user.email, getattr(c, "summary", None)) for c in page.rows]

    assert [c.pk for c in page.rows] == [spread["failed"].pk]


def test_the_list_page_costs_the_same_queries_with_ten_times_the_rows(staff_client, db, django_assert_max_num_queries):
    person = UserFactory()
    start = datetime(2025, 6, 1, tzinfo=UTC)
    for n in range(3):
        conversation_with(person, started_at=start + timedelta(hours=n))
    with django_assert_max_num_queries(50) as few:
        staff_client.get(LIST)
    baseline = len(few.captured_queries)
    for n in range(30):
        conversation_with(UserFactory(), started_at=start + timedelta(days=1, hours=n), error=n % 2 == 0)

    with django_assert_max_num_queries(baseline):
        response = staff_client.get(LIST)

    assert response.content.decode().count('data-label="Conversation"') == 25


def test_filters_come_from_the_query_string_and_htmx_gets_only_the_results(staff_client, spread):
    response = staff_client.get(LIST, {"user": "bob", "with_errors": "on"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="results"')
    assert f"#{spread['failed'].pk} " in html
    assert f"#{spread['fell_back'].pk} " not in html


def test_a_range_ending_before_it_starts_is_explained(staff_client, spread):
    response = staff_client.get(LIST, {"start": "2025-05-04", "end": "2025-05-01"})

    assert "The end date is before the start date." in response.content.decode()


def test_the_list_pages_through_results(staff_client, db):
    person = UserFactory()
    for n in range(30):
        conversation_with(person, started_at=datetime(2025, 7, 1, tzinfo=UTC) + timedelta(minutes=n))

    second = staff_client.get(LIST, {"page": "2"}).content.decode()

    assert second.count('data-label="Conversation"') == 5
    assert "← Previous" in second


@pytest.fixture
def investigated(db):
    person = UserFactory(email="dana@example.com")
    start = datetime(2025, 8, 1, 12, tzinfo=UTC)
    conversation = ConversationFactory.create(user=person, started_at=start, title="ACME?")
    MessageFactory.create(
        conversation=conversation, role="user", content="What's the number for ACME?", intent="retrieve_by_name"
    )
    MessageFactory.create(
        conversation=conversation,
        role="assistant",
        content="Your passphrase, please.",
        state_before="IDLE",
        state_after="AWAITING_PASSPHRASE_FOR_RETRIEVE",
        latency_ms=812,
        tokens_in=1040,
        tokens_out=22,
        cost_usd=Decimal("0.003450"),
        model="claude-sonnet-4-5",
        created_at=start + timedelta(seconds=1),
    )
    # Even if clear text ever reached a redacted row, the inspector must not show it.
    MessageFactory.create(
        conversation=conversation,
        role="user",
        content="open sesame",
        redacted=True,
        created_at=start + timedelta(seconds=2),
    )
    MessageFactory.create(
        conversation=conversation,
        role="assistant",
        content="ACME Hardware: (415) 555-0198.",
        tool_calls=[{"name": "lookup_by_name", "args": {"query": "acme"}, "ok": True, "result": {"status": "found"}}],
        state_before="AWAITING_PASSPHRASE_FOR_RETRIEVE",
        state_after="IDLE",
        fallback_used=True,
        model="gpt-4o-mini",
        created_at=start + timedelta(seconds=3),
    )
    ConversationSummary.objects.create(conversation=conversation, summary="Dana looked up ACME.", operations_count=1)
    return conversation


def test_the_transcript_shows_intents_tool_calls_states_and_figures(staff_client, investigated):
    html = staff_client.get(reverse("adminpanel:conversation", args=[investigated.pk])).content.decode()

    for text in [
        "What&#x27;s the number for ACME?",
        "retrieve_by_name",
        "lookup_by_name",
        "&quot;query&quot;: &quot;acme&quot;",
        "&quot;status&quot;: &quot;found&quot;",
        "<code>IDLE</code> → <code>AWAITING_PASSPHRASE_FOR_RETRIEVE</code>",
        "812 ms",
        "1040 in · 22 out",
        "$0.003450",
        "claude-sonnet-4-5",
        "gpt-4o-mini",
        "fallback",
        "Dana looked up ACME.",
        "dana@example.com",
    ]:
        assert text in html, text


def test_a_passphrase_attempt_shows_only_the_redaction_marker(staff_client, investigated):
    html = staff_client.get(reverse("adminpanel:conversation", args=[investigated.pk])).content.decode()

    assert "[passphrase redacted]" in html
    assert "open sesame" not in html


def test_the_detail_takes_a_fixed_number_of_queries(staff_client, investigated, django_assert_max_num_queries):
    url = reverse("adminpanel:conversation", args=[investigated.pk])
    with django_assert_max_num_queries(50) as few:
        staff_client.get(url)
    baseline = len(few.captured_queries)
    for n in range(20):
        MessageFactory.create(conversation=investigated, role="user", content=f"more {n}")

    with django_assert_max_num_queries(baseline):
        staff_client.get(url)


def test_an_unknown_conversation_is_not_found(staff_client, db):
    assert staff_client.get(reverse("adminpanel:conversation", args=[999999])).status_code == 404
