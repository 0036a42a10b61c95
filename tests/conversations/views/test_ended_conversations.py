"""An ended conversation takes no more messages: the box is replaced by a way to start a new one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conversations.models import ConversationState


@pytest.fixture
def ended(session):
    session.say("Save ACME Hardware, 415-555-0198")
    streamed = session.say("bye")
    assert streamed.events[-1]["state"] == ConversationState.TERMINATED
    return session


def test_the_page_offers_a_new_conversation_instead_of_a_message_box(ended):
    page = ended.page()
    composer = page[page.index('id="composer"') :]

    assert "This conversation has ended." in composer
    assert "You ended it." in composer
    assert f'action="{reverse("conversations:new")}"' in composer
    assert "<textarea" not in composer
    assert "Ended" in page


def test_a_send_to_an_ended_conversation_is_refused_and_not_stored(ended):
    before = ended.conversation.messages.count()

    response = ended.client.post(
        reverse("conversations:send", args=[ended.conversation.pk]),
        {"text": "one more thing"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "This conversation has ended. Start a new one to continue." in html
    # The message box comes along out of band, closed.
    assert 'id="composer"' in html
    assert "<textarea" not in html
    assert ended.conversation.messages.count() == before


def test_the_home_page_starts_afresh_after_the_conversation_ended(ended, client_alice):
    html = client_alice.get("/").content.decode()
    assert "What can I do for you?" in html
    assert f'hx-post="{reverse("conversations:new")}"' in html


def test_new_conversation_opens_a_fresh_conversation(ended, user):
    response = ended.client.post(reverse("conversations:new"))
    fresh = user.conversations.order_by("-pk").first()
    assert fresh.pk != ended.conversation.pk
    assert response.url == reverse("conversations:detail", args=[fresh.pk])
    assert fresh.state == ConversationState.IDLE
