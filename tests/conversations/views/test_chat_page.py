"""The chat page: who sees it, what it lists, and what it shows before the first message."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conversations.models import ConversationState, ConversationSummary, Message
from conversations.services import conversation_start
from conversations.views.transcript import activity_label


def test_the_chat_is_the_home_page_and_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_new_user_sees_a_fresh_start_with_example_prompts(client_alice, user):
    response = client_alice.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "What can I do for you?" in html
    assert "Save ACME Hardware, 415-555-0198" in html
    assert "What&#x27;s the number for Costco?" in html
    # The first message starts the conversation: nothing is created by looking at the page.
    assert f'hx-post="{reverse("conversations:new")}"' in html
    assert not user.conversations.exists()


def test_the_home_page_continues_the_latest_open_conversation(client_alice, user):
    older = conversation_start(user=user)
    Message.objects.create(conversation=older, role=Message.Role.USER, content="save Costco")
    latest = conversation_start(user=user)
    Message.objects.create(conversation=latest, role=Message.Role.USER, content="what is the number for Target")
    ended = conversation_start(user=user)
    ended.state = ConversationState.TERMINATED
    ended.last_activity_at = timezone.now() + timedelta(minutes=1)
    ended.save()

    html = client_alice.get("/").content.decode()

    assert "what is the number for Target" in html
    assert f'hx-post="{reverse("conversations:send", args=[latest.pk])}"' in html


def test_the_list_shows_newest_first_with_state_title_and_summary(client_alice, user):
    now = timezone.now()
    old = conversation_start(user=user)
    old.title, old.state, old.last_activity_at = "Save Costco", ConversationState.TERMINATED, now - timedelta(days=3)
    old.save()
    ConversationSummary.objects.create(conversation=old, summary="Saved 1 store: Costco.", operations_count=1)
    recent = conversation_start(user=user)
    recent.title, recent.state = "Number for ACME", ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    recent.save()

    html = client_alice.get(reverse("conversations:detail", args=[recent.pk])).content.decode()
    listing = html[html.index('id="conversation-list"') :]

    assert listing.index("Number for ACME") < listing.index("Save Costco")
    assert "Saved 1 store: Costco." in listing
    assert "Waiting for your passphrase" in listing
    assert "state-terminated" in listing
    assert 'aria-current="page"' in listing[: listing.index("Number for ACME") + 200]


def test_new_conversation_reuses_an_untouched_one_instead_of_piling_up_empties(client_alice, user):
    first = client_alice.post(reverse("conversations:new"))
    second = client_alice.post(reverse("conversations:new"))
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert user.conversations.count() == 1


def test_activity_is_said_briefly():
    now = timezone.now()
    assert activity_label(now - timedelta(seconds=20), now=now) == "just now"
    assert activity_label(now - timedelta(minutes=5), now=now) == "5 min ago"
    assert activity_label(now - timedelta(hours=3), now=now) == "3 h ago"
    assert activity_label(now - timedelta(hours=30), now=now) == "yesterday"
