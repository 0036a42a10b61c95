"""The reply stream endpoint (Server-Sent Events from an async view), read through Django's ASGI handler."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from conversations.models import Message
from conversations.offline.model import capture_requests
from conversations.services import conversation_start, turn_submit
from tests.conversations.views.conftest import read_stream, send, stream_url_in


def _stream_url(message: Message) -> str:
    return reverse("conversations:stream", args=[message.conversation_id, message.pk])


def test_the_stream_is_an_unbuffered_event_stream_that_opens_at_once(session):
    streamed = session.say("Save ACME Hardware, 415-555-0198")

    assert streamed.status == 200
    assert streamed.headers["Content-Type"] == "text/event-stream"
    # Never cached or stored anywhere: the stream is personal (issue 14, D12).
    assert {"no-cache", "no-store"} <= set(streamed.headers["Cache-Control"].replace(" ", "").split(","))
    assert streamed.headers["X-Accel-Buffering"] == "no"
    assert "Content-Encoding" not in streamed.headers
    # daphne sends no headers before the first body chunk: a comment goes first.
    assert streamed.body.startswith(b": open\n\n")


def test_events_carry_tools_state_text_and_end_with_done(session):
    session.say("Save ACME Hardware, 415-555-0198")
    streamed = session.say("What's the number for ACME?")

    types = [event["type"] for event in streamed.events]
    assert types[0] == "state"
    assert set(types[1:-1]) == {"text"}
    assert len(types) > 5  # word by word, not one lump
    assert types[-1] == "done"
    assert streamed.of_type("state") == [
        {
            "type": "state",
            "state": "AWAITING_PASSPHRASE_FOR_RETRIEVE",
            "label": "Waiting for your passphrase",
            "input_mode": "passphrase",
        }
    ]
    reply = Message.objects.get(pk=streamed.events[-1]["message_id"])
    assert reply.content == streamed.text
    assert streamed.events[-1]["state"] == reply.state_after == "AWAITING_PASSPHRASE_FOR_RETRIEVE"


def test_reading_a_finished_reply_again_replays_it_without_a_model_call(session, user):
    response = send(session.client, session.conversation, "Save ACME Hardware, 415-555-0198")
    url = stream_url_in(response)
    first = read_stream(user, url)

    with capture_requests() as requests:
        again = read_stream(user, url)

    assert requests == []
    assert again.text == first.text
    assert again.of_type("tool") == first.of_type("tool")
    assert again.events[-1] == first.events[-1]
    assert Message.objects.filter(role=Message.Role.ASSISTANT).count() == 1
    assert user.stores.count() == 1


def test_a_message_is_streamed_only_under_its_own_conversation(session, user):
    other = conversation_start(user=user)
    message = turn_submit(user=user, conversation_id=session.conversation.pk, text="save Costco")

    streamed = read_stream(user, reverse("conversations:stream", args=[other.pk, message.pk]))

    assert streamed.status == 404
    assert not Message.objects.filter(in_reply_to=message).exists()


def test_the_stream_needs_a_login_and_a_get(client, session, user):
    message = turn_submit(user=user, conversation_id=session.conversation.pk, text="save Costco")
    url = _stream_url(message)

    assert client.get(url).status_code == 302
    assert session.client.post(url).status_code == 405
    assert not Message.objects.filter(in_reply_to=message).exists()


def test_over_the_budget_the_stream_says_so_and_ends(session, user):
    user.daily_budget_usd = Decimal("0")
    user.save()

    with capture_requests() as requests:
        streamed = session.say("Save ACME Hardware, 415-555-0198")

    assert requests == []
    [error] = streamed.of_type("error")
    assert error["code"] == "budget_exceeded"
    assert "today's assistant limit" in error["message"]
    assert streamed.events[-1]["type"] == "done"
    assert user.stores.count() == 0
