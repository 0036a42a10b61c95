"""Errors appear as a clear message in the transcript: a budget reached, a model provider down."""

from __future__ import annotations

from decimal import Decimal

from conversations.models import Message


def test_a_reached_budget_is_a_message_in_the_transcript(session, user):
    user.daily_budget_usd = Decimal("0")
    user.save()
    session.say("Save ACME Hardware, 415-555-0198")

    page = session.page()

    assert 'class="msg msg-assistant msg-error"' in page
    assert "You&#x27;ve reached today&#x27;s assistant limit ($0.00)" in page
    assert "is-streaming" not in page


def test_a_provider_outage_is_said_truthfully_in_the_stream_and_on_the_page(session, user, hosted_llm):
    hosted_llm.primary.fail(500)
    hosted_llm.fallback.fail(503)

    streamed = session.say("Save ACME Hardware, 415-555-0198")

    [error] = streamed.of_type("error")
    assert error["code"] == "provider_unavailable"
    assert "can't reach the language model" in error["message"]
    assert streamed.events[-1]["type"] == "done"
    reply = Message.objects.get(role=Message.Role.ASSISTANT)
    assert reply.error_code == "provider_unavailable"
    page = session.page()
    assert "I can&#x27;t reach the language model right now" in page
    assert 'role="alert"' in page
    assert user.stores.count() == 0


def test_an_interrupted_reply_says_so_under_what_arrived(session):
    question = Message.objects.create(conversation=session.conversation, role=Message.Role.USER, content="save Costco")
    Message.objects.create(
        conversation=session.conversation,
        role=Message.Role.ASSISTANT,
        in_reply_to=question,
        content="What's the",
        interrupted=True,
    )

    page = session.page()

    assert "What&#x27;s the</p>" in page
    assert "Reply interrupted: the connection closed before it finished." in page
    assert "data-stream-url" not in page
