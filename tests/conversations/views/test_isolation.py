"""Another user's conversation is a 404 on every chat URL, and nothing of it is read or written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conversations.models import Message
from conversations.services import conversation_start, turn_submit
from tests.conversations.views.conftest import HTMX, read_stream

# What would give Bob's conversation away. Not the bare word "Bob": a page's random CSRF token may hold it.
BOBS_WORDS = ("Bob's", "Bob&#x27;s", "Bikes", "secret shopping")


def shows_bob(text: str) -> bool:
    return any(word in text for word in BOBS_WORDS)


@pytest.fixture
def theirs(other_user):
    conversation = conversation_start(user=other_user)
    conversation.title = "Bob's secret shopping"
    conversation.save()
    message = turn_submit(user=other_user, conversation_id=conversation.pk, text="Save Bob's Bikes, 415-555-0111")
    return conversation, message


@pytest.mark.parametrize("name", ["detail", "chrome"])
def test_pages_of_another_users_conversation_are_not_found(client_alice, theirs, name):
    conversation, _ = theirs
    response = client_alice.get(reverse(f"conversations:{name}", args=[conversation.pk]), headers=HTMX)
    assert response.status_code == 404
    assert not shows_bob(response.content.decode())


@pytest.mark.parametrize("htmx", [True, False])
def test_sending_into_another_users_conversation_is_not_found(client_alice, theirs, htmx):
    conversation, _ = theirs
    url = reverse("conversations:send", args=[conversation.pk])
    response = client_alice.post(url, {"text": "What's the number for Bob's Bikes?"}, headers=HTMX if htmx else {})
    assert response.status_code == 404
    assert conversation.messages.count() == 1


def test_another_users_reply_cannot_be_streamed(user, theirs):
    conversation, message = theirs
    streamed = read_stream(user, reverse("conversations:stream", args=[conversation.pk, message.pk]))
    assert streamed.status == 404
    assert not Message.objects.filter(in_reply_to=message).exists()


def test_the_list_and_home_page_show_only_ones_own_conversations(client_alice, theirs):
    html = client_alice.get("/").content.decode()
    assert not shows_bob(html)
    assert "Your conversations will appear here." in html


def test_a_new_conversation_never_reuses_another_users_empty_one(client_alice, user, other_user):
    empty = conversation_start(user=other_user)
    response = client_alice.post(reverse("conversations:new"))
    assert response.url != reverse("conversations:detail", args=[empty.pk])
    assert user.conversations.count() == 1
    assert empty.messages.count() == 0
