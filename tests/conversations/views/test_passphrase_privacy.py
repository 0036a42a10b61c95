"""The passphrase prompt is a masked field, and an attempt never appears in a page, a stream or a row."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conversations.models import PASSPHRASE_REDACTION, Message
from ops.config import forget_config, get_config
from tests.conversations.views.conftest import read_stream, send, stream_url_in

PASSPHRASE = "open sesame"  # the `user` fixture's


@pytest.fixture
def awaiting(session, frozen_minute):
    session.say("Save ACME Hardware, 415-555-0198")
    session.say("What's the number for ACME?")
    return session


def _composer(html: str) -> str:
    return html[html.index('id="composer"') :]


def test_waiting_for_the_passphrase_shows_one_masked_field(awaiting):
    composer = _composer(awaiting.page())

    field = re.search(r'<input id="composer-input"[^>]*>', composer)
    assert field
    assert 'type="password"' in field.group(0)
    assert 'autocomplete="off"' in field.group(0)
    assert "<textarea" not in composer
    assert "Waiting for your passphrase" in awaiting.page()


def test_the_right_passphrase_unlocks_the_lookup_and_the_field_turns_back_to_text(awaiting, user):
    response = send(awaiting.client, awaiting.conversation, PASSPHRASE)
    streamed = read_stream(user, stream_url_in(response))

    assert "(415) 555-0198" in streamed.text
    assert streamed.of_type("state")[0]["input_mode"] == "text"
    chrome = awaiting.client.get(reverse("conversations:chrome", args=[awaiting.conversation.pk])).content.decode()
    assert "<textarea" in _composer(chrome)
    assert 'type="password"' not in chrome


def test_an_attempt_never_appears_in_html_streams_or_rows(awaiting, user):
    response = send(awaiting.client, awaiting.conversation, PASSPHRASE)
    streamed = read_stream(user, stream_url_in(response))
    chrome = awaiting.client.get(reverse("conversations:chrome", args=[awaiting.conversation.pk]))
    pages = [response.content.decode(), streamed.body.decode(), chrome.content.decode(), awaiting.page()]

    for html in pages:
        assert PASSPHRASE not in html
    assert "Passphrase sent" in response.content.decode()
    attempt = Message.objects.get(conversation=awaiting.conversation, passphrase_outcome="right")
    assert attempt.content == PASSPHRASE_REDACTION
    assert not Message.objects.filter(content__icontains=PASSPHRASE).exists()
    awaiting.conversation.refresh_from_db()
    assert PASSPHRASE not in awaiting.conversation.title


def test_a_wrong_attempt_is_not_echoed_back_even_when_refused(awaiting):
    config = get_config()
    config.chat_rate_limit_per_minute = 2  # the two messages of `awaiting` used it up
    config.save()
    forget_config()

    for htmx in (True, False):
        refused = send(awaiting.client, awaiting.conversation, "not my passphrase", htmx=htmx)
        assert refused.status_code == 429
        assert "not my passphrase" not in refused.content.decode()
